import { describe, expect, it } from 'vitest';
import { parseContactQuery } from './contact-query.js';

describe('parseContactQuery', () => {
  it('splits names, emails and customer ids into lower-case word prefixes, each needed', () => {
    expect(parseContactQuery('Priya Sh', 'IN')).toEqual([['priya'], ['sh']]);
    expect(parseContactQuery('priya.s@Ex', 'IN')).toEqual([['priya'], ['s'], ['ex']]);
    expect(parseContactQuery('CUST-00123', 'IN')).toEqual([['cust'], ['00123']]);
    expect(parseContactQuery('Zoë  zoë', 'IN')).toEqual([['zoë']]);
  });

  it('reads a phone number as one term of digits: with its country code as typed, nationally also after the store country code', () => {
    expect(parseContactQuery('+91 98200 12345', 'IN')).toEqual([['919820012345']]);
    expect(parseContactQuery('0091 98200', 'IN')).toEqual([['9198200']]);
    expect(parseContactQuery('98200-123', 'IN')).toEqual([['98200123', '9198200123']]);
    expect(parseContactQuery('(0) 7700 900', 'GB')).toEqual([['07700900', '447700900']]);
  });

  it('has nothing to look for in an empty or punctuation-only query', () => {
    expect(parseContactQuery('   ', 'IN')).toBeNull();
    expect(parseContactQuery('..@..', 'IN')).toBeNull();
  });
});
