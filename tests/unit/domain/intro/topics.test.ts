import { describe, expect, it } from 'vitest';
import {
  bestTagMatch,
  foldText,
  splitTags,
  stem,
  tagMatch,
  topicTerms,
} from '../../../../src/domain/intro/topics.ts';

describe('topic matching', () => {
  it.each([
    ['Négociation', 'negociation'],
    ['  CRÈME   brûlée! ', 'creme brulee'],
    ['Zürich/Genève', 'zurich geneve'],
    ['C++ & C#', 'c++ c#'],
  ])('folds %j to %j', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });

  it.each([
    ['companies', 'company'],
    ['boxes', 'box'],
    ['apis', 'api'],
    ['kubernetes', 'kubernete'],
    ['business', 'business'],
    ['analysis', 'analysis'],
    ['status', 'status'],
    ['aws', 'aws'],
  ])('stems %j to %j', (word, stemmed) => {
    expect(stem(word)).toBe(stemmed);
  });

  it('expands a few common synonyms and drops filler words', () => {
    expect(topicTerms('k8s')).toEqual(topicTerms('Kubernetes'));
    expect(topicTerms('the pricing of APIs')).toEqual(['pricing', 'api']);
  });

  it.each<[string, string, number]>([
    ['kubernetes', 'Kubernetes', 3],
    ['KUBERNETES', 'kubernetes', 3],
    ['negociations', 'Négociation', 3],
    ['k8s', 'Kubernetes', 3],
    ['kubernetes', 'Kubernetes & Helm', 2],
    ['pricing strategy', 'pricing', 1],
    ['user interview', 'User research interviews', 2],
    ['design', 'sales', 0],
    ['', 'sales', 0],
    ['🎉', '🎉', 0],
  ])('%j ~ %j scores %i', (topic, tag, score) => {
    expect(tagMatch(topic, tag)).toBe(score);
  });

  it('picks the best matching tag', () => {
    expect(bestTagMatch('pricing', ['sales', 'pricing strategy', 'Pricing'])).toEqual({
      score: 3,
      tag: 'Pricing',
    });
    expect(bestTagMatch('pricing', [])).toEqual({ score: 0, tag: null });
  });

  it('splits a typed list into trimmed, de-duplicated tags', () => {
    expect(splitTags('Kubernetes, pricing ,kubernetes,\nSQL;; ,  data   science ')).toEqual([
      'Kubernetes',
      'pricing',
      'SQL',
      'data science',
    ]);
    expect(splitTags('  ,;\n')).toEqual([]);
  });
});
