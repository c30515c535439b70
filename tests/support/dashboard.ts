import { expect } from 'vitest';

/** What a browser ends up with after following a dashboard link. */
export interface OpenedDashboard {
  /** The link's own answer (303 when it worked). */
  linkStatus: number;
  setCookie: string | null;
  location: string | null;
  /** The session cookie (`weave_dashboard=…`), to send with later requests. */
  cookie: string | null;
  /** The page at the clean URL, fetched with the cookie (null when the link was refused). */
  page: Response | null;
  html: string;
}

/**
 * Follows a dashboard link as a browser would: the link (on `baseUrl`, the test server) answers 303 with
 * the session cookie; the clean URL is then fetched with that cookie.
 */
export async function openDashboard(
  baseUrl: string,
  link: string,
  extraQuery = '',
): Promise<OpenedDashboard> {
  const u = new URL(link);
  const first = await fetch(`${baseUrl}${u.pathname}${u.search}${extraQuery}`, { redirect: 'manual' });
  const setCookie = first.headers.get('set-cookie');
  const location = first.headers.get('location');
  if (first.status !== 303 || !location) {
    return {
      linkStatus: first.status,
      setCookie,
      location,
      cookie: null,
      page: null,
      html: await first.text(),
    };
  }
  await first.text();
  const cookie = setCookie?.split(';')[0] ?? null;
  expect(cookie, 'the link sets the session cookie').toMatch(/^weave_dashboard=/);
  const page = await fetch(`${baseUrl}${location}`, {
    headers: { cookie: cookie ?? '' },
    redirect: 'manual',
  });
  const html = await page.clone().text();
  return { linkStatus: first.status, setCookie, location, cookie, page, html };
}

/** GET a dashboard path (e.g. `/dashboard?days=30`) with a session cookie. */
export function getWithCookie(baseUrl: string, path: string, cookie: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
}
