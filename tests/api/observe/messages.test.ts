import { describe, expect, it } from 'vitest';
import { messageCreated, messageDetail } from '../../../src/domain/schemas/message';
import { messageQueue } from '../../../src/domain/schemas/observer-account';
import { makeObserver, sendMessage, signIn } from '../../support/observe-fixtures';

describe('roles and scopes', () => {
  it('an observer handles messages in its scope only; a lead assigns across scopes', async () => {
    const obs = await makeObserver('observer', ['unit-a']);
    const observer = await signIn(obs);
    const lead = await signIn(await makeObserver('lead'));
    const from = { 'cf-connecting-ip': '10.2.0.1' };
    const send = async (subject: { kind: string; id: string }) => {
      const r = await sendMessage({ subject, contact: { phone: '0799-1234567' } }, from);
      expect(r.status).toBe(201);
      return messageCreated.parse(await r.json());
    };
    await send({ kind: 'official', id: 'off-a1' });
    await send({ kind: 'unit', id: 'unit-b' });
    const queue = messageQueue.parse(await (await observer.get('/api/v1/observe/messages?appraisal=test-2026')).json());
    const aboutA = queue.items.find((m) => m.subject?.id === 'off-a1');
    const aboutB = queue.items.find((m) => m.subject?.id === 'unit-b');
    expect(aboutA).toMatchObject({ unit: 'unit-a', inScope: true, hasContact: true });
    expect(aboutB).toMatchObject({ unit: 'unit-b', inScope: false });
    if (!aboutA || !aboutB) throw new Error('fixture');

    // Routed on arrival to the observer responsible for the unit; nobody has unit-b.
    expect(aboutA.assignee?.id).toBe(obs.id);
    expect(aboutB.assignee).toBeNull();
    // Contact details: never in the detail; revealed to the assignee only, on request.
    const a = messageDetail.parse(await (await observer.get(`/api/v1/observe/messages/${aboutA.id}`)).json());
    expect(a).toMatchObject({ mayRevealContact: true, hasContact: true });
    expect(JSON.stringify(a)).not.toContain('0799-1234567');
    expect(await (await observer.post(`/api/v1/observe/messages/${aboutA.id}/contact`)).json()).toEqual({
      phone: '0799-1234567',
    });
    const b = messageDetail.parse(await (await observer.get(`/api/v1/observe/messages/${aboutB.id}`)).json());
    expect(b.mayRevealContact).toBe(false);
    expect((await observer.post(`/api/v1/observe/messages/${aboutB.id}/contact`)).status).toBe(403);
    expect((await lead.post(`/api/v1/observe/messages/${aboutB.id}/contact`)).status).toBe(403);
    for (const [path, payload] of [
      ['status', { status: 'verifying' }],
      ['notes', { text: '越权备注' }],
      ['reply', { text: '越权的公开答复内容' }],
      ['assign', { observer: obs.id }],
    ] as const) {
      expect((await observer.post(`/api/v1/observe/messages/${aboutB.id}/${path}`, payload)).status).toBe(403);
    }
    // The lead hands it to the observer, who may then act on it.
    expect((await lead.post(`/api/v1/observe/messages/${aboutB.id}/assign`, { observer: obs.id })).status).toBe(200);
    expect((await observer.post(`/api/v1/observe/messages/${aboutB.id}/status`, { status: 'verifying' })).status).toBe(
      200,
    );
    // Assigning to someone who is not an active observer is refused.
    expect(
      (await lead.post(`/api/v1/observe/messages/${aboutA.id}/assign`, { observer: crypto.randomUUID() })).status,
    ).toBe(409);
    const mine = messageQueue.parse(
      await (await observer.get('/api/v1/observe/messages?scope=mine&appraisal=test-2026')).json(),
    );
    expect(mine.items.map((m) => m.id).sort()).toEqual([aboutA.id, aboutB.id].sort());
    expect(mine.counts).toMatchObject({ received: 1, verifying: 1 });
  });
});
