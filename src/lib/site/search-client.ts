// The search page's browser code: reads ?q=, asks Pagefind, lists the pages.
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

const PAGEFIND = '/pagefind/pagefind.js';
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
  const msg = JSON.parse(form.dataset.messages ?? '{}') as Record<'loading' | 'none' | 'count' | 'failed', string>;

  async function search(q: string) {
    list!.replaceChildren();
    if (!q) {
      status!.textContent = '';
      return;
    }
    status!.textContent = msg.loading;
    try {
      const found = await (await load()).search(q);
      const pages = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
      // A newer query may have started while this one was loading.
      if (input!.value.trim() !== q) return;
      for (const p of pages) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = p.url;
        a.textContent = p.meta.title ?? p.url;
        const para = document.createElement('p');
        // appendChild, not append: the Workers types in this project redeclare Element.append.
        para.appendChild(excerpt(p.excerpt));
        li.appendChild(a);
        li.appendChild(para);
        list!.appendChild(li);
      }
      status!.textContent =
        found.results.length === 0
          ? msg.none.replace('{q}', q)
          : msg.count.replace('{n}', String(found.results.length)).replace('{q}', q);
    } catch {
      status!.textContent = msg.failed;
    }
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
