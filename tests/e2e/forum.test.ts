// The forum in Chromium: a resident posts into the pre-moderated demo forum,
// follows it by its tracking number, cannot post it twice, the demo observer
// approves the post in the console, the resident then sees it; and a corpus of
// XSS payloads renders as inert text.
import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { apiSession, consoleLogin } from '../support/observe';
import { passCheck } from '../support/participate';

const b = useBrowser();
const FORUM = '/forum/county-2026/';

describe('the forum', () => {
  it('lists the visible demo threads on a static shell, with the rules from the content', async () => {
    const p = await b.page('/forum/');
    expect(await p.locator('h1').textContent()).toBe('互动论坛');
    await p.getByRole('link', { name: /2026年度澄川县.*互动论坛/ }).click();
    await hydrated(p);
    await expect.poll(() => p.locator('.threads').textContent()).toContain('建议政务服务中心午间和周末延时服务');
    expect(await p.content()).toContain('先审后发');
    // Posts awaiting moderation are not shown.
    expect(await p.locator('.threads').textContent()).not.toContain('城东河道整治后的维护问题');
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('a resident posts (pre-moderated), an observer approves it, and the resident then sees it', async () => {
    const title = `请公开办事窗口的平均等候时间 ${Date.now() % 100000}`;
    const resident = await b.page(FORUM);
    await hydrated(resident);
    await resident.getByLabel('标题').fill(title);
    await resident
      .getByLabel('内容', { exact: true })
      .fill('上周在政务服务中心等了一个多小时。\n建议在网上公开各窗口的平均等候时间。');
    await resident.getByLabel('显示名称').fill('城南居民');
    await passCheck(resident);
    await resident.getByRole('button', { name: '发表' }).click();
    await expect.poll(() => resident.getByRole('status').first().textContent()).toContain('审核后公开');
    // The tracking number, shown this once, follows the post through review.
    const tracking = ((await resident.getByTestId('tracking').textContent()) ?? '').trim();
    expect(tracking).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const tracker = await b.page('/forum/track/');
    await hydrated(tracker);
    const lookUp = async () => {
      await tracker.getByLabel('查询号').fill(tracking.toLowerCase());
      await tracker.getByRole('button', { name: '查询' }).click();
    };
    await lookUp();
    await expect.poll(() => tracker.locator('#post-track-status').textContent()).toContain('待审核');
    expect(await tracker.locator('.result').textContent()).toContain(title);
    await expectAccessible(tracker);
    // The same text again is refused: nothing is posted twice.
    await resident.getByLabel('标题').fill(title);
    await resident
      .getByLabel('内容', { exact: true })
      .fill('上周在政务服务中心等了一个多小时。\n建议在网上公开各窗口的平均等候时间。');
    await passCheck(resident);
    await resident.getByRole('button', { name: '发表' }).click();
    await expect.poll(() => resident.locator('.error-summary').textContent()).toContain('内容相同的帖子');
    await resident.reload();
    await hydrated(resident);
    await expect.poll(() => resident.locator('.threads').textContent()).toContain('建议政务服务中心');
    expect(await resident.locator('.threads').textContent()).not.toContain(title);

    const observer = await b.page('/observe/');
    await consoleLogin(observer);
    const card = observer.locator('li.card', { hasText: title });
    await card.waitFor();
    await expectAccessible(observer);
    await card.getByRole('button', { name: '通过并公开' }).click();
    await expect.poll(() => observer.locator('.said').textContent()).toContain('已通过');
    // The queue reloads after the notice: wait for the card to leave it.
    await expect.poll(() => observer.locator('li.card', { hasText: title }).count()).toBe(0);
    expect(jsErrors(observer)).toEqual([]);
    await observer.close();

    await lookUp();
    await expect.poll(() => tracker.locator('#post-track-status').textContent()).toContain('已公开');
    expect(jsErrors(tracker)).toEqual([]);
    await tracker.close();

    await resident.reload();
    await hydrated(resident);
    await resident.getByRole('link', { name: title }).click();
    await hydrated(resident);
    await expect.poll(() => resident.locator('.thread-title').textContent()).toBe(title);
    const body = await resident.locator('.post-body').first().innerText();
    expect(body).toContain('上周在政务服务中心等了一个多小时。\n建议在网上公开');
    expect(await resident.locator('.post .author').first().textContent()).toContain('城南居民');
    await expectAccessible(resident);
    expect(jsErrors(resident)).toEqual([]);
    await resident.close();
  });

  it('renders a corpus of XSS payloads as inert text: no dialog, no injected element, no script URL', async () => {
    const corpus = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<img src=x onerror="window.__xss=1">',
      '<svg onload=alert(1)>',
      '<svg><script>alert(1)</script></svg>',
      'javascript:alert(1)',
      '"><iframe src=javascript:alert(1)>',
      "'><body onload=alert(1)>",
      '<a href="javascript:alert(1)">点我</a>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '{@html "<b>x</b>"} ${alert(1)} {{constructor.constructor("alert(1)")()}}',
      'https://example.org/ok?q=<script>alert(1)</script>',
    ];
    const body = corpus.join('\n');
    const title = '<svg onload=alert(1)> XSS 测试 <script>alert(1)</script>';
    const api = await apiSession(b.base);
    const created = await fetch(`${b.base}/api/v1/forum/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.200' },
      body: JSON.stringify({
        appraisal: 'county-2026',
        title,
        body,
        displayName: '<i onclick=alert(1)>',
        turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX',
      }),
    });
    expect(created.status).toBe(201);
    const { thread, post } = (await created.json()) as { thread: string; post: string };
    expect((await api.post(`/api/v1/observe/posts/${post}/approve`)).status).toBe(200);

    for (const path of [FORUM, `/forum/thread/?id=${thread}`]) {
      const p = await b.page(path);
      const dialogs: string[] = [];
      p.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      await hydrated(p);
      if (path === FORUM) {
        await expect.poll(() => p.locator('.threads').innerText()).toContain(title);
      } else {
        await expect.poll(() => p.locator('.post-body').first().innerText()).toBe(body);
        expect(await p.locator('.post .author strong').first().innerText()).toBe('<i onclick=alert(1)>');
        // The one real address became a link (ending where markup would start), marked as user content.
        const links = await p
          .locator('.post-body a')
          .evaluateAll((as) =>
            as.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), text: a.textContent })),
          );
        expect(links).toEqual([
          { href: 'https://example.org/ok?q=', rel: 'nofollow ugc noopener', text: 'https://example.org/ok?q=' },
        ]);
      }
      await p.waitForTimeout(500);
      const injected = await p.evaluate(() => {
        // Where user text is shown, only text and the one link may exist.
        const user = [...document.querySelectorAll('.threads, .thread-title, .author, .post-body')];
        const inside = (sel: string) => user.reduce((n, el) => n + el.querySelectorAll(sel).length, 0);
        return {
          elements: inside('script, img, svg, iframe, math, body, style, b, table'),
          handlers: user
            .flatMap((el) => [el, ...el.querySelectorAll('*')])
            .filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
          // And nowhere on the page: no frame, no broken image, no script URL.
          anywhere: document.querySelectorAll('iframe, img[src="x"], [href^="javascript:" i], [src^="javascript:" i]')
            .length,
          flag: (window as unknown as { __xss?: number }).__xss ?? null,
        };
      });
      expect(injected).toEqual({ elements: 0, handlers: 0, anywhere: 0, flag: null });
      expect(dialogs).toEqual([]);
      expect(jsErrors(p)).toEqual([]);
      await p.close();
    }
  });
});
