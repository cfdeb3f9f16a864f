// Cloudflare Turnstile, rendered explicitly. The script is loaded once per
// page, only when the API says the live widget is in use (never in test mode,
// so the whole flow works offline).
export const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
/** What Cloudflare's test site keys hand out; the API's test mode accepts it. */
export const DUMMY_TOKEN = 'XXXX.DUMMY.TOKEN.XXXX';

export interface TurnstileOptions {
  sitekey: string;
  language?: string;
  'refresh-expired'?: 'auto' | 'manual' | 'never';
  callback?: (token: string) => void;
  'expired-callback'?: () => void;
  'timeout-callback'?: () => void;
  'error-callback'?: (code: string) => boolean | undefined;
}

export interface TurnstileApi {
  render(el: HTMLElement, options: TurnstileOptions): string | undefined;
  reset(widgetId: string): void;
  remove(widgetId: string): void;
}

declare global {
  interface Window {
    turnstile?: TurnstileApi;
  }
}

let loading: Promise<TurnstileApi> | undefined;

export function loadTurnstile(): Promise<TurnstileApi> {
  loading ??= new Promise<TurnstileApi>((resolve, reject) => {
    if (window.turnstile) return resolve(window.turnstile);
    const s = document.createElement('script');
    s.src = TURNSTILE_SCRIPT;
    s.async = true;
    s.onload = () => (window.turnstile ? resolve(window.turnstile) : reject(new Error('turnstile missing')));
    s.onerror = () => {
      // Let a later attempt (a retry) load it again.
      loading = undefined;
      s.remove();
      reject(new Error('turnstile script failed'));
    };
    document.head.appendChild(s);
  });
  return loading;
}
