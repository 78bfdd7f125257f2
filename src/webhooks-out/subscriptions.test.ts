import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { subscribedTo } from './event-types.js';
import { normalizeEvents, webhookUrl } from './subscriptions.js';

describe('webhook subscription input', () => {
  it('takes absolute http and https URLs', () => {
    expect(webhookUrl('https://shop.example/hooks/storewire?x=1')).toBe('https://shop.example/hooks/storewire?x=1');
    expect(webhookUrl(' http://127.0.0.1:8080/in ')).toBe('http://127.0.0.1:8080/in');
    expect(webhookUrl('https://shop.example')).toBe('https://shop.example/');
  });

  it.each([
    'ftp://shop.example/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    '/relative/path',
    'shop.example/hook',
    'not a url',
  ])('refuses %s', (url) => {
    const attempt = () => webhookUrl(url);
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).code).toBe('INVALID_WEBHOOK_URL');
    }
  });

  it('keeps each event type once, and "*" alone when it is asked for', () => {
    expect(normalizeEvents(undefined)).toEqual(['*']);
    expect(normalizeEvents([])).toEqual(['*']);
    expect(normalizeEvents(['order.created', 'message.status', 'order.created'])).toEqual([
      'order.created',
      'message.status',
    ]);
    expect(normalizeEvents(['message.reply', '*'])).toEqual(['*']);
  });

  it('matches events to what a subscription listens to', () => {
    expect(subscribedTo(['*'], 'order.created')).toBe(true);
    expect(subscribedTo(['message.status'], 'message.status')).toBe(true);
    expect(subscribedTo(['message.status'], 'message.inbound')).toBe(false);
    expect(subscribedTo([], 'message.inbound')).toBe(false);
  });
});
