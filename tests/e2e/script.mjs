// Whether what a view shows is written in the interface's language and
// script: English with no Chinese, 繁體 with no character that only
// simplified Chinese uses, 简体 with none that only traditional uses.
// Characters are judged by OpenCC's tables (npm opencc-js), one by one.
import * as OpenCC from 'opencc-js';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

// Characters that both scripts write, which OpenCC, judging a character
// alone, would change: 台 (台灣, 台北), 后 (皇后), 里 (鄰里), 干 (干擾),
// 面 (面積), 只 (只有), 才, 系 (系統), 几 (茶几), 范 (姓范), 准 (批准),
// 松, 咸, 谷, 丑, 卜, 斗, 于, 余, 借, 冲, 表, 注, 游, 家, 布, 合, 著 (显著),
// 乾 (乾隆), 夥, 瞭, 徵, 么 (什么; OpenCC reads it as a variant of 幺).
const BOTH = new Set([...'台后里干面只才系几范准松咸谷丑卜斗于余借冲表注游家布合著乾夥瞭徵么']);

const HAN = /\p{Script=Han}/u;

/** The distinct characters of `text` that do not belong to `lang`'s script. */
export function strays(text, lang) {
  const chars = [...new Set([...text])].filter((c) => HAN.test(c) && !BOTH.has(c));
  if (/^en/i.test(lang)) return chars;
  if (/^zh-(hant|tw|hk|mo)/i.test(lang)) return chars.filter((c) => toTraditional(c) !== c);
  return chars.filter((c) => toSimplified(c) !== c);
}

/**
 * The text a widget shows in its own language: visible text and the
 * names, placeholders and titles a screen reader reads, of every element
 * in `root` (a widget's `.xxgk` element or its shadow root) whose nearest
 * `lang` is the widget's. Parts marked with another language (a language's
 * own name on the switch, catalogue text, messages to staff) are left out,
 * and so are what was typed into fields and the texts in `omit`
 * (catalogue text the test put there).
 */
export async function shownText(locator, omit = []) {
  const text = await locator.evaluate((root) => {
    const top = root.closest('[lang]');
    const own = top ? top.getAttribute('lang') : '';
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      const element = node.nodeType === 1 ? node : node.parentElement;
      const marked = element.closest('[lang]');
      if (marked && marked.getAttribute('lang') !== own) continue;
      if (element.closest('script, style, textarea, option:not(:checked)')) continue;
      if (node.nodeType === 3) {
        const box = element.getClientRects().length > 0 || element.closest('.xxgk-visually-hidden');
        if (box) out.push(node.data);
        continue;
      }
      for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
        if (node.hasAttribute(name)) out.push(node.getAttribute(name));
      }
      if (node.localName === 'input' && ['submit', 'button'].includes(node.type)) out.push(node.value);
    }
    return out.join('\n');
  });
  let left = text;
  for (const o of omit.filter(Boolean).sort((a, b) => b.length - a.length)) left = left.split(o).join(' ');
  return left;
}
