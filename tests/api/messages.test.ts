// The opinion box, sender's side: anonymous by default, contact details only
// encrypted, a tracking number shown once and stored only as a keyed hash,
// the status and public reply behind that number.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hmacHex, normaliseCrockford } from '../../src/domain/code';
import { apiError } from '../../src/domain/schemas/api';
import { messageCreated, trackedMessage } from '../../src/domain/schemas/message';
import { decryptContact } from '../../src/server/auth/contact';
import { api, count, makeObserver, sendMessage, signIn } from '../support/observe-fixtures';

const from = (n: number) => ({ 'cf-connecting-ip': `198.18.0.${n}` });
const track = (tracking: string, headers: Record<string, string> = {}) =>
  api.json('/api/v1/messages/track', { tracking }, { headers });

describe('sending a message', () => {
  it('anonymously: a tracking number in fives, stored only as a keyed hash, status "received"', async () => {
    const r = await sendMessage({ subject: { kind: 'unit', id: 'unit-b' } }, from(1));
    expect(r.status).toBe(201);
    const { tracking, receivedOn } = messageCreated.parse(await r.json());
    expect(tracking).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(receivedOn).toBe('2026-11-23');
    const row = await env.DB.prepare('SELECT * FROM messages WHERE subject_id = ?1')
      .bind('unit-b')
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ status: 'received', contact: null, unit: 'unit-b', appraisal: 'test-2026' });
    const dump = JSON.stringify(row);
    expect(dump).not.toContain(tracking);
    expect(dump).not.toContain(normaliseCrockford(tracking));
    expect(dump).not.toContain('198.18.0.1');
    expect(row?.tracking_hash).toBe(await hmacHex(`tracking:${env.CODE_PEPPER}`, normaliseCrockford(tracking)));
  });

  it('with contact details: stored only encrypted, with a fresh IV each time', async () => {
    const contact = { name: '李女士', phone: '0799-7654321', email: 'li@example.org' };
    const a = messageCreated.parse(await (await sendMessage({ contact, body: '同样的内容 A' }, from(2))).json());
    await sendMessage({ contact, body: '同样的内容 B' }, from(2));
    const rows = (
      await env.DB.prepare("SELECT contact FROM messages WHERE body LIKE '同样的内容%' ORDER BY body").all<{
        contact: string;
      }>()
    ).results;
    expect(rows).toHaveLength(2);
    expect(rows[0]?.contact).not.toBe(rows[1]?.contact);
    const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM messages').all()).results);
    for (const secret of ['李女士', '7654321', 'li@example.org']) expect(dump).not.toContain(secret);
    expect(await decryptContact(env.CONTACT_KEY, rows[0]?.contact as string)).toEqual(contact);
    // The tracking page never shows contact details.
    expect(JSON.stringify(await (await track(a.tracking)).json())).not.toContain('7654321');
  });

  it('about an official: filed under the official and the official’s unit', async () => {
    const r = await sendMessage({ subject: { kind: 'official', id: 'off-a1' } }, from(3));
    expect(r.status).toBe(201);
    const row = await env.DB.prepare(
      "SELECT subject_kind, subject_id, unit FROM messages WHERE subject_id = 'off-a1'",
    ).first();
    expect(row).toEqual({ subject_kind: 'official', subject_id: 'off-a1', unit: 'unit-a' });
  });

  it('refuses, storing nothing: unknown subject, empty contact, bad e-mail, Turnstile, closed phase, no key', async () => {
    const before = await count('messages');
    const refused = async (r: Response, status: number, code: string) => {
      expect(r.status).toBe(status);
      expect(apiError.parse(await r.json()).error.code).toBe(code);
    };
    await refused(await sendMessage({ subject: { kind: 'unit', id: 'nope' } }, from(4)), 400, 'validation_failed');
    await refused(await sendMessage({ subject: { kind: 'official', id: 'nope' } }, from(4)), 400, 'validation_failed');
    await refused(await sendMessage({ contact: {} }, from(4)), 400, 'validation_failed');
    await refused(await sendMessage({ contact: { email: 'not-an-email' } }, from(4)), 400, 'validation_failed');
    await refused(await sendMessage({ body: '短' }, from(4)), 400, 'validation_failed');
    await refused(await sendMessage({ turnstileToken: 'forged' }, from(4)), 403, 'turnstile_failed');
    await refused(await sendMessage({ appraisal: 'old-2025' }, from(4)), 423, 'collection_closed');
    const noKey = await api.app.request(
      '/api/v1/messages',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from(4) },
        body: JSON.stringify({
          appraisal: 'test-2026',
          body: '请联系我核实情况。',
          contact: { phone: '0799-1111111' },
          turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX',
        }),
      },
      { ...env, CONTACT_KEY: undefined },
    );
    await refused(noKey, 503, 'service_unavailable');
    expect(await count('messages')).toBe(before);
  });

  it('limits sending per address (429)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await sendMessage({ body: `限流测试意见 ${i}` }, from(5))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(await count('messages', "body LIKE '限流测试意见%'")).toBe(5);
  });
});

describe('tracking a message', () => {
  it('shows the status and, once given, the public reply; never the internal notes', async () => {
    const { tracking } = messageCreated.parse(
      await (await sendMessage({ body: '请核实某局窗口收费问题。' }, from(6))).json(),
    );
    const first = trackedMessage.parse(await (await track(tracking)).json());
    expect(first).toMatchObject({ status: 'received', reply: null, subject: null, body: '请核实某局窗口收费问题。' });
    // Typed loosely: lower case, spaces instead of dashes, O for 0.
    const loose = tracking.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect((await track(loose)).status).toBe(200);

    const lead = await signIn(await makeObserver('lead'));
    const id = (
      await env.DB.prepare("SELECT id FROM messages WHERE body = '请核实某局窗口收费问题。'").first<{ id: string }>()
    )?.id as string;
    expect((await lead.post(`/api/v1/observe/messages/${id}/status`, { status: 'verifying' })).status).toBe(200);
    expect(trackedMessage.parse(await (await track(tracking)).json()).status).toBe('verifying');
    expect((await lead.post(`/api/v1/observe/messages/${id}/notes`, { text: '内部备注: 已电话联系该局' })).status).toBe(
      200,
    );
    expect(
      (await lead.post(`/api/v1/observe/messages/${id}/reply`, { text: '经核实, 该局已退还多收费用并整改。' })).status,
    ).toBe(200);
    const answered = await (await track(tracking)).json();
    expect(trackedMessage.parse(answered)).toMatchObject({
      status: 'answered',
      reply: { text: '经核实, 该局已退还多收费用并整改。', on: '2026-11-23' },
    });
    expect(JSON.stringify(answered)).not.toContain('内部备注');
  });

  it('answers 404 for an unknown number, 400 for a malformed one, 429 past the lookup limit', async () => {
    expect((await track('ABCDE-FGHJK-MNPQR', from(7))).status).toBe(404);
    expect((await track('not a number', from(7))).status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await track('ABCDE-FGHJK-MNPQR', from(8))).status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});
