import { describe, expect, it } from 'vitest';
import { slackBody } from './channels/slack';
import { describeDuration, firingMessage, recoveryMessage } from './messages';

describe('alert messages', () => {
  const text = {
    ruleName: 'HR systems',
    subject: 'Source BambooHR (prod)',
    problem: 'is failing: auth failed',
    details: '1 failed attempt in a row; last error: 401 invalid api key.',
    since: new Date('2026-12-07T09:00:00Z'),
    link: 'https://ats.example.com/sync-admin/sources/s1',
  };

  it('says what is wrong, since when, for what, and where to look', () => {
    const m = firingMessage(text);
    expect(m.subject).toBe('[ATS Sync] Source BambooHR (prod) is failing: auth failed');
    expect(m.text.split('\n')).toEqual([
      'Source BambooHR (prod) is failing: auth failed.',
      '1 failed attempt in a row; last error: 401 invalid api key.',
      'Since: 2026-12-07 09:00 UTC',
      'Rule: HR systems',
      'Open: https://ats.example.com/sync-admin/sources/s1',
    ]);
  });

  it('says how long it lasted when it recovers', () => {
    const m = recoveryMessage(text, new Date('2026-12-07T09:12:30Z'));
    expect(m.subject).toBe('[ATS Sync] Resolved: Source BambooHR (prod) (after 12 min)');
    expect(m.text).toContain('Source BambooHR (prod) is OK again. Resolved after 12 min.');
  });

  it('counts durations as people read them', () => {
    expect(describeDuration(400)).toBe('under a second');
    expect(describeDuration(30_000)).toBe('30 s');
    expect(describeDuration(60_000)).toBe('1 min');
    expect(describeDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(describeDuration(3 * 86_400_000)).toBe('3 days');
  });

  it('keeps Slack from reading our text as markup (mentions, links)', () => {
    const body = JSON.parse(
      slackBody({ subject: 'Source <!channel> & co', text: 'x <http://evil|click>', link: null }),
    );
    expect(body.text).toBe('Source &lt;!channel&gt; &amp; co\nx &lt;http://evil|click&gt;');
    expect(body.blocks[0].text.text).toBe('x &lt;http://evil|click&gt;');
  });
});
