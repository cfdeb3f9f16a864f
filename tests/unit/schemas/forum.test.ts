// The forum's request schemas (src/domain/schemas/forum.ts): text is cleaned
// before its length is checked (so "  a  " and "a" are the same post), the raw
// length is capped first, and a page number comes from the URL.
import { describe, expect, it } from 'vitest';
import {
  DISPLAY_NAME_MAX,
  displayName,
  newThreadRequest,
  POST_MAX,
  pageQuery,
  postBody,
  postCreated,
  replyRequest,
  threadTitle,
} from '../../../src/domain/schemas/forum';
import { newTrackingNumber } from '../../../src/domain/schemas/tracking';
import { accepts } from '../../support/unit-fixtures';

describe('typed text', () => {
  it('measures the cleaned text: padding and hidden characters do not make a post long enough', () => {
    expect(postBody.parse('  一二三四五 \r\n')).toBe('一二三四五');
    expect(accepts(postBody, '一二三四')).toBe(false);
    expect(accepts(postBody, `一二三四${'\u200b'.repeat(10)}`)).toBe(false);
    expect(accepts(postBody, '字'.repeat(POST_MAX))).toBe(true);
    expect(accepts(postBody, '字'.repeat(POST_MAX + 1))).toBe(false);
  });

  it('refuses a raw text over twice the limit before cleaning it', () => {
    expect(accepts(postBody, `一二三四五${' '.repeat(POST_MAX * 2)}`)).toBe(false);
    expect(accepts(postBody, `一二三四五${' '.repeat(POST_MAX)}`)).toBe(true);
  });

  it('puts titles and display names on one line', () => {
    expect(threadTitle.parse(' 关于\n办事\t效率 ')).toBe('关于 办事 效率');
    expect(accepts(threadTitle, '一 二')).toBe(false);
    expect(displayName.parse('\u202e居民\u3000甲')).toBe('居民 甲');
    expect(accepts(displayName, '名'.repeat(DISPLAY_NAME_MAX + 1))).toBe(false);
    expect(accepts(displayName, ' \u200b ')).toBe(false);
  });

  it('refuses names, titles and posts with nothing visible in them', () => {
    for (const blank of ['\u3164', '\u2800\u2800\u2800', '\u115f', '\u200d\u2060', '\u0301\u0301']) {
      expect([blank, accepts(displayName, blank)]).toEqual([blank, false]);
    }
    expect(accepts(threadTitle, '\u3164\u3164\u3164\u3164\u3164')).toBe(false);
    expect(accepts(postBody, '\u0301\u0301\u0301\u0301\u0301')).toBe(false);
  });

  it('refuses display names that pose as officials or the platform', () => {
    for (const name of ['县委组织部考核组', '县绩效办', '观察员', '管理员 ', '县人大代表']) {
      expect([name, accepts(displayName, name)]).toEqual([name, false]);
    }
    expect(displayName.safeParse('县委组织部考核组').error?.issues[0]?.message).toContain('名义');
    expect(accepts(displayName, '城关镇居民')).toBe(true);
  });
});

describe('requests', () => {
  const author = { displayName: '居民甲', turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' };
  it('need a Turnstile token and an appraisal id; the unit and the code are optional', () => {
    const thread = { appraisal: 'county-2026', title: '关于办事效率', body: '一二三四五六', ...author };
    expect(accepts(newThreadRequest, thread)).toBe(true);
    expect(accepts(newThreadRequest, { ...thread, unit: 'gaj', code: 'ABCD-EFGH-JKMN-P' })).toBe(true);
    expect(accepts(newThreadRequest, { ...thread, turnstileToken: '' })).toBe(false);
    expect(accepts(newThreadRequest, { ...thread, appraisal: 'County 2026' })).toBe(false);
    expect(accepts(replyRequest, { body: '一二三四五', ...author })).toBe(true);
    expect(accepts(replyRequest, { body: '一二三四五', ...author, code: '' })).toBe(false);
  });

  it('never tell an author their post is hidden', () => {
    // (Not when it is created; later, its tracking number shows a hide and its reason on purpose.)
    const id = crypto.randomUUID();
    const tracking = newTrackingNumber();
    expect(accepts(postCreated, { thread: id, post: id, status: 'pending', tracking })).toBe(true);
    expect(accepts(postCreated, { thread: id, post: id, status: 'hidden', tracking })).toBe(false);
  });
});

describe('page query', () => {
  it('reads a page number from the URL, 1 by default', () => {
    expect(pageQuery.parse(undefined)).toBe(1);
    expect(pageQuery.parse('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'abc', '10001']) expect([bad, accepts(pageQuery, bad)]).toEqual([bad, false]);
  });
});
