// Loading a queue whose filters may change faster than it answers: only the
// last call's answer may fill the table.
import type { ApiResult } from '../../lib/api/client';
import { problemText } from './session';

export function latestLoader<T>(
  read: () => Promise<ApiResult<T>>,
  loaded: (data: T) => void,
  failed: (text: string) => void,
) {
  let calls = 0;
  return async () => {
    const mine = ++calls;
    const r = await read();
    if (mine !== calls) return;
    if (r.ok) loaded(r.data);
    else failed(problemText(r));
  };
}
