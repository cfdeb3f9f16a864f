// The search page's browser code: reads ?q=, asks Pagefind for the pages and
// the API for the forum threads (they live in D1, which no build sees), lists both.
// Excerpts come back as HTML with <mark> around the hits; they are rebuilt
// from text nodes so that nothing from the index is ever parsed as markup
// into the page.

interface PagefindResult {
  data: () => Promise<{ url: string; excerpt: string; meta: { title?: string } }>;
}
interface Pagefind {
  options: (o: Record<string, unknown>) => Promise<void>;
  search: (q: string) => Promise<{ results: PagefindResult[] }>;
}

interface ThreadHit {
  id: string;
  title: string;
  replies: number;
  lastPostAt: string;
}

const PAGEFIND = '/pagefind/pagefind.js';
const FORUM_SEARCH = '/api/v1/forum/search';
const MAX_RESULTS = 30;

let pagefind: Promise<Pagefind> | undefined;
function load(): Promise<Pagefind> {
  pagefind ??= import(/* @vite-ignore */ PAGEFIND).then(async (p: Pagefind) => {
    await p.options({ excerptLength: 40 });
    return p;
  });
  return pagefind;
}

function excerpt(html: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const node of Array.from(doc.body.childNodes)) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      out.appendChild(mark);
    } else {
      out.appendChild(document.createTextNode(node.textContent ?? ''));
    }
  }
  return out;
}

export function runSearch() {
  const form = document.querySelector<HTMLFormElement>('form.search-form');
  const input = document.querySelector<HTMLInputElement>('#q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  if (!form || !input || !status || !list) return;
  const msg = JSON.parse(form.dataset.messages ?? '{}') as Record<
    'loading' | 'none' | 'count' | 'failed' | 'forum',
    string
  >;

  function item(href: string, title: string, text: Node) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = href;
    a.textContent = title;
    const para = document.createElement('p');
    // appendChild, not append: the Workers types in this project redeclare Element.append.
    para.appendChild(text);
    li.appendChild(a);
    li.appendChild(para);
    list!.appendChild(li);
  }

  async function pages(q: string) {
    const found = await (await load()).search(q);
    return {
      total: found.results.length,
      list: await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data())),
    };
  }

  async function threads(q: string): Promise<{ threads: ThreadHit[]; total: number }> {
    const r = await fetch(`${FORUM_SEARCH}?q=${encodeURIComponent(q)}`, { headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  }

  async function search(q: string) {
    list!.replaceChildren();
    if (!q) {
      status!.textContent = '';
      return;
    }
    status!.textContent = msg.loading;
    // Either half may fail alone (the API down, the index not loaded): the other still answers.
    const [found, forum] = await Promise.all([pages(q).catch(() => null), threads(q).catch(() => null)]);
    // A newer query may have started while this one was loading.
    if (input!.value.trim() !== q) return;
    if (!found && !forum) {
      status!.textContent = msg.failed;
      return;
    }
    for (const p of found?.list ?? []) item(p.url, p.meta.title ?? p.url, excerpt(p.excerpt));
    for (const t of forum?.threads ?? [])
      item(
        `/forum/thread/?id=${encodeURIComponent(t.id)}`,
        t.title,
        document.createTextNode(
          msg.forum.replace('{n}', String(t.replies)).replace('{date}', t.lastPostAt.slice(0, 10)),
        ),
      );
    const n = (found?.total ?? 0) + (forum?.total ?? 0);
    status!.textContent = n === 0 ? msg.none.replace('{q}', q) : msg.count.replace('{n}', String(n)).replace('{q}', q);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    const url = new URL(location.href);
    url.searchParams.set('q', q);
    history.replaceState(null, '', url);
    void search(q);
  });
  const initial = new URLSearchParams(location.search).get('q')?.trim() ?? '';
  if (initial) {
    input.value = initial;
    void search(initial);
  }
}
