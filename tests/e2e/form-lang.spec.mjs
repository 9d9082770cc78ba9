// The feedback panels in each language the widget speaks (data-lang on
// the host): the form, its errors, a lookup and the published replies say
// everything in the interface's language and script, and a language
// switched while the form is being filled in changes its words, not what
// was typed. The panels talk to the test server (playwright.config.mjs).
import { test, expect, widget, ready, axe, tabTo, hashParams } from './fixtures.mjs';
import { shownText, strays } from './script.mjs';
import { DB } from './playwright.config.mjs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../target/native/xxgk-server', import.meta.url));

const LANGS = ['zh-CN', 'zh-Hant', 'en'];
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;

/** The words each language's panels show, for telling them apart. */
const WORDS = {
  'zh-CN': { write: '我要留言', check: '查询办理结果', replies: '答复公开', send: '提交', look: '查询', subject: '标题' },
  'zh-Hant': { write: '我要留言', check: '查詢辦理結果', replies: '答覆公開', send: '送出', look: '查詢', subject: '標題' },
  en: { write: 'Write to us', check: 'Check progress', replies: 'Published replies', send: 'Send', look: 'Check', subject: 'Subject' },
};

/** Opens the widget in `lang` on the panel `panel` (write, check, replies). */
async function open(page, lang, panel) {
  const url = `/e2e/feedback.html?lang=${lang}`;
  if (!page.url().endsWith(url) && !page.url().includes(`${url}#`)) {
    await page.goto(url);
    await ready(page);
  }
  await page.evaluate((panel) => { location.hash = `xxgk.f=${panel}&xxgk.p=1`; }, panel);
  const w = widget(page);
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', lang);
  await expect(w.locator('.xxgk-form__heading')).toHaveText(WORDS[lang][panel]);
  return w;
}

const field = (w, key) => w.locator(`[data-field=${key}]`).locator('input, textarea').first();

/** Fails with the characters of the widget's text that are not `lang`'s. */
async function inScript(w, lang, omit = []) {
  const text = await shownText(w.locator('.xxgk'), omit);
  expect(strays(text, lang), text).toEqual([]);
  return text;
}

async function fillMessage(w, subject) {
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。');
  await field(w, 'name').fill('张三');
  await field(w, 'phone').fill('139 1234 5678');
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 900 });
});

for (const lang of LANGS) {
  test(`${lang}: the form, its errors for nothing typed and for a bad telephone and ID number`, async ({ page }) => {
    const w = await open(page, lang, 'write');
    await inScript(w, lang);
    await expect(w.locator('label[for="xxgk-subject"]')).toContainText(WORDS[lang].subject);
    await expect(w.locator('.xxgk-form__submit')).toHaveText(WORDS[lang].send);

    await w.locator('.xxgk-form__submit').click();
    for (const key of ['subject', 'body', 'name', 'phone']) {
      await expect(w.locator(`#xxgk-${key}-error`)).not.toHaveText('');
    }
    await inScript(w, lang);

    // A disclosure request (the last kind), with a bad telephone and a
    // resident card number whose check digit is wrong.
    await w.locator('[data-field=kind] input').nth(4).check();
    await field(w, 'phone').fill('12345');
    await field(w, 'id_number').fill('110105194912310021');
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('#xxgk-phone-error')).toContainText('0563-6012345');
    await expect(w.locator('#xxgk-id_number-error')).not.toHaveText('');
    await expect(w.locator('#xxgk-format-error')).not.toHaveText('');
    await inScript(w, lang);
  });

  test.describe(() => {
    // The unknown code's 404.
    test.use({ expectedConsole: [/status of 404/] });
  test(`${lang}: a receipt, a lookup of an unknown code and of the code received, and the published replies`, async ({ page }) => {
    let w = await open(page, lang, 'write');
    const subject = `语言${lang}${Math.random().toString(36).slice(2, 8)}`;
    await fillMessage(w, subject);
    await w.locator('.xxgk-form__consent input').check();
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__code')).toHaveText(CODE);
    const code = (await w.locator('.xxgk-form__code').textContent()).trim();
    await inScript(w, lang);

    w = await open(page, lang, 'check');
    await inScript(w, lang);
    await w.locator('#xxgk-check-code').fill('ABCDEFGHJKMN');
    await w.getByRole('button', { name: WORDS[lang].look, exact: true }).click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('0, 1, I, L'.replace(/, /g, lang === 'en' ? ', ' : '、'));
    await inScript(w, lang);
    await w.locator('#xxgk-check-code').fill(code);
    await w.getByRole('button', { name: WORDS[lang].look, exact: true }).click();
    await expect(w.locator('.xxgk-form__status')).toHaveAttribute('data-status', 'received');
    await inScript(w, lang);

    // Replied to by staff: the reply is what they wrote.
    const answer = '已安排维修，感谢您的反映。';
    execFileSync(SERVER, ['reply', code, '--text', answer, '--db', DB]);
    await w.getByRole('button', { name: WORDS[lang].look, exact: true }).click();
    await expect(w.locator('.xxgk-form__status')).toHaveAttribute('data-status', 'replied');
    await expect(w.locator('.xxgk-form__answer')).toHaveText(answer);
    await inScript(w, lang, [answer]);
    // Published as the public text a reviewer approves; the list is
    // worked out at most once a second.
    execFileSync(SERVER, ['publish', code, '--subject', subject, '--text-file', '-', '--db', DB],
      { encoding: 'utf8', input: answer });
    await page.waitForTimeout(1100);

    // Replies and their subjects are what citizens and staff wrote.
    w = await open(page, lang, 'replies');
    await expect(w.locator('.xxgk-form__stats')).not.toBeEmpty();
    await expect(w.locator('.xxgk-form__reply', { hasText: subject })).toContainText(answer);
    const written = await w.locator('.xxgk-form__reply-subject, .xxgk-form__answer').allTextContents();
    await inScript(w, lang, written);
  });
  });
}

test('switching the language while the form is filled in changes its words, not what was typed', async ({ page }) => {
  const w = await open(page, 'zh-CN', 'write');
  await fillMessage(w, '路灯损坏');
  await field(w, 'phone').fill('12345');
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('#xxgk-phone-error')).toContainText('请填写 11 位手机号');

  await w.getByRole('button', { name: 'English' }).click();
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'en');
  await expect(w.locator('.xxgk-form__heading')).toHaveText('Write to us');
  await expect(w.locator('label[for="xxgk-subject"]')).toContainText('Subject (required)');
  await expect(w.locator('#xxgk-phone-error')).toContainText('Please give an 11-digit mobile number');
  await expect(field(w, 'subject')).toHaveValue('路灯损坏');
  await expect(field(w, 'body')).toHaveValue(/^东亭村村口/);
  await expect(field(w, 'phone')).toHaveValue('12345');
  await inScript(w, 'en');

  await w.getByRole('button', { name: '繁體' }).click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
  await expect(w.locator('.xxgk-form__submit')).toHaveText('送出');
  await expect(field(w, 'subject')).toHaveValue('路灯损坏');
  await inScript(w, 'zh-Hant');

  // What is typed is still sent, and the receipt is in the new language.
  await field(w, 'phone').fill('139 1234 5678');
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__done-heading')).toHaveText('已收到您的諮詢');
});

// axe-core (WCAG 2.1 A and AA) on the form with its errors showing and on
// a lookup that found nothing and one that found a submission, in each
// language, in normal and elderly mode.
for (const lang of LANGS) {
  for (const large of [false, true]) {
    test.describe(() => {
      // The unknown code's 404.
      test.use({ expectedConsole: [/status of 404/] });
      test(`${lang}${large ? ', elderly mode' : ''}: axe finds no WCAG 2.1 AA violation in the form with errors, in lookups and in the published replies`, async ({ page }) => {
        if (large) await page.addInitScript(() => localStorage.setItem('xxgk-elderly', '1'));
        let w = await open(page, lang, 'write');
        await expect(w.locator('.xxgk')).toHaveClass(large ? /xxgk--large/ : /^(?!.*xxgk--large)/);
        const found = [];
        await w.locator('.xxgk-form__submit').click();
        await expect(w.locator('#xxgk-subject-error')).not.toHaveText('');
        found.push(...await axe(page, 'form with nothing typed'));
        await w.locator('[data-field=kind] input').nth(4).check();
        await field(w, 'phone').fill('12345');
        await field(w, 'id_number').fill('110105194912310021');
        await w.locator('.xxgk-form__submit').click();
        await expect(w.locator('#xxgk-id_number-error')).not.toHaveText('');
        found.push(...await axe(page, 'request with a bad telephone and ID number'));

        w = await open(page, lang, 'check');
        found.push(...await axe(page, 'lookup'));
        await w.locator('#xxgk-check-code').fill('ABCDEFGHJKMN');
        await w.getByRole('button', { name: WORDS[lang].look, exact: true }).click();
        await expect(w.locator('.xxgk-form__alert')).toBeVisible();
        found.push(...await axe(page, 'lookup of an unknown code'));

        w = await open(page, lang, 'replies');
        await expect(w.locator('.xxgk-form__stats')).not.toBeEmpty();
        found.push(...await axe(page, 'published replies'));
        expect(found, found.join('\n')).toEqual([]);
      });
    });
  }
}

test('with the keyboard alone: a filter, a search, an entry, the form about it sent with errors', async ({ page }) => {
  await page.goto('/e2e/feedback.html');
  await ready(page);
  const w = widget(page);
  // Browse: the filters open with Enter, and a year is chosen with the arrow keys.
  await tabTo(page, 'xxgk-filters__summary');
  await page.keyboard.press('Enter');
  await tabTo(page, 'xxgk-field__select[year]');
  await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await hashParams(page, 'xxgk'))['xxgk.y']).toMatch(/^\d{4}$/);
  const year = (await hashParams(page, 'xxgk'))['xxgk.y'];
  // Search within it, and open the first result.
  await tabTo(page, 'xxgk-search__input', 'Shift+Tab');
  await page.keyboard.type('工作');
  await expect(w.locator('.xxgk-list__count')).toHaveText(/^找到 \d+ 条$/);
  expect((await hashParams(page, 'xxgk'))['xxgk.y']).toBe(year);
  await tabTo(page, 'xxgk-list__title');
  const title = await page.evaluate(() => document.querySelector('[data-xxgk]').shadowRoot.activeElement.textContent);
  await page.keyboard.press('Enter');
  await expect(w.locator('.xxgk-detail__title')).toHaveText(title);
  await expect(w.locator('.xxgk-detail__title')).toBeFocused();
  // The form about this entry, sent with nothing typed.
  await tabTo(page, 'xxgk-feedback', 'Shift+Tab');
  await expect(w.locator('.xxgk-feedback')).toHaveText('就此信息留言咨询');
  await page.keyboard.press('Enter');
  await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
  await expect(w.locator('.xxgk-form')).toContainText(title);
  await tabTo(page, 'xxgk-form__submit');
  await page.keyboard.press('Enter');
  await expect(w.locator('#xxgk-body-error')).not.toHaveText('');
  // Focus goes to the first field that is wrong (once it is drawn), which says why.
  const wrong = () => page.evaluate(() => {
    const e = document.querySelector('[data-xxgk]').shadowRoot.activeElement;
    return `${e.getAttribute('aria-invalid')} ${e.getAttribute('aria-describedby')}`;
  });
  await expect.poll(wrong).toMatch(/^true .*-error\b/);
});
