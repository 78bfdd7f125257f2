import { describe, expect, it } from 'vitest';
import { brandingProblem } from './branding.js';

describe('brandingProblem', () => {
  it('takes an https logo and a #rrggbb colour, or null for none', () => {
    expect(brandingProblem({ logoUrl: 'https://cdn.example/logo.png', accentColor: '#0f766E' })).toBeNull();
    expect(brandingProblem({ logoUrl: null, accentColor: null })).toBeNull();
  });
  it('refuses other links and colour notations, saying what is expected', () => {
    expect(brandingProblem({ logoUrl: 'http://cdn.example/logo.png' })).toMatch(/https:\/\//);
    expect(brandingProblem({ logoUrl: 'javascript:alert(1)' })).toMatch(/https:\/\//);
    expect(brandingProblem({ accentColor: 'red' })).toMatch(/#rrggbb/);
    expect(brandingProblem({ accentColor: '#fff' })).toMatch(/#rrggbb/);
  });
});
