/** A person as the intro message presents them. */
export interface IntroPerson {
  id: string;
  name: string;
  department: string | null;
  title: string;
  interests: string[];
  expertise: string[];
}

const GENERIC: readonly string[] = [
  'What does a good week look like in your team?',
  'What is one thing your team does that the rest of the company might not know about?',
  'What are you working on that you are excited about?',
  'Which team do you wish you worked with more, and why?',
  'What is something you learned recently at work?',
];

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Picks a conversation starter tied to the group: a shared interest first, then what one can teach the
 * other, then their departments, then a general question. `seed` varies the choice between groups.
 */
export function conversationStarter(people: IntroPerson[], seed: number): string {
  const [a, b] = people;
  if (!a || !b) return GENERIC[Math.abs(seed) % GENERIC.length] as string;
  const shared = a.interests.filter((i) => b.interests.some((j) => norm(i) === norm(j)));
  if (shared[0]) return `You both listed *${shared[0]}* as an interest: how did you get into it?`;
  const teach = b.expertise.find((e) => e.trim() !== '');
  if (teach)
    return `${a.name}, ${b.name} can help with *${teach}*: ask what they wish more people knew about it.`;
  if (a.department && b.department && norm(a.department) !== norm(b.department)) {
    return `How does work in ${a.department} connect with ${b.department}? Where could you help each other?`;
  }
  return GENERIC[Math.abs(seed) % GENERIC.length] as string;
}
