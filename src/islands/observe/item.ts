// What the console's message and objection pages share: reading the item (a
// failure is said in the status line), a step posted on it (said as saved,
// then the item read again), and the observers it may be handed to.
import { onMount } from 'svelte';
import type { ObserverAccount } from '../../domain/schemas/observer-account';
import { get, post, problemText } from './session';

export type Assignable = Pick<ObserverAccount, 'id' | 'displayName' | 'role'>;

/** Call while the page is set up: it reads the item, then the observers, once mounted. */
export function itemPage<T>(
  url: () => string,
  saved: string,
  say: (text: string) => void,
  loaded: (item: T) => void,
  observers: (list: Assignable[]) => void,
) {
  async function load() {
    const r = await get<T>(url());
    if (!r.ok) {
      say(problemText(r));
      return;
    }
    loaded(r.data);
  }
  async function act(path: string, body: unknown = {}, clear?: () => void) {
    const r = await post(`${url()}/${path}`, body);
    say(r.ok ? saved : problemText(r));
    if (r.ok) {
      clear?.();
      await load();
    }
  }
  onMount(async () => {
    await load();
    observers(await assignable());
  });
  return act;
}

/** The observers an item may be handed to (none listed if they cannot be read). */
export async function assignable(): Promise<Assignable[]> {
  const r = await get<{ observers: Assignable[] }>('/observe/observers');
  return r.ok ? r.data.observers : [];
}
