// HtmlText sanitizer: an app's HTML becomes a fragment rebuilt from an allow
// list. The text is parsed into an inert document (DOMParser runs no script
// and loads nothing); only allowed elements are copied, with allowed
// attributes whose values are checked (links and images: http(s) only, styles:
// layout and typography properties without url()). Everything else is dropped
// (script, style, iframe, forms ...) or, for unknown wrappers, replaced by its
// text. The result is built with createElement: nothing of the app's text is
// ever assigned as markup.
'use strict';
(() => {
  const ALLOWED = new Set([
    'a', 'b', 'i', 'u', 's', 'em', 'strong', 'small', 'big', 'sub', 'sup', 'br', 'p', 'div',
    'span', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
    'hr', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'font', 'center',
    'img', 'strike', 'del', 'ins', 'mark', 'section', 'article', 'header', 'footer', 'dl', 'dt',
    'dd', 'figure', 'figcaption', 'abbr', 'cite', 'q', 'time',
  ]);
  // Dropped with everything inside them.
  const DROPPED = new Set([
    'script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math',
    'head', 'title', 'textarea', 'select', 'button', 'form', 'input', 'link', 'meta', 'base',
    'frame', 'frameset', 'video', 'audio', 'canvas', 'applet', 'portal', 'dialog',
  ]);
  const STYLE_PROPERTIES = new Set([
    'color', 'background-color', 'font-size', 'font-weight', 'font-style', 'font-family',
    'text-align', 'text-decoration', 'text-transform', 'line-height', 'letter-spacing',
    'white-space', 'vertical-align', 'display', 'width', 'height', 'max-width', 'min-width',
    'max-height', 'min-height', 'margin', 'margin-top', 'margin-right', 'margin-bottom',
    'margin-left', 'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
    'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color',
    'border-width', 'border-style', 'border-radius', 'border-collapse', 'border-spacing',
    'list-style-type', 'opacity', 'overflow', 'word-break', 'overflow-wrap',
  ]);
  const FONT_SIZES = ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large', 'xxx-large'];
  const MAX_DEPTH = 64;

  function safeUrl(value, forImage) {
    const url = String(value).trim();
    if (/^https?:\/\//i.test(url)) return url;
    if (!forImage && /^mailto:/i.test(url)) return url;
    if (forImage && /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i.test(url)) return url;
    return null;
  }

  // `style="a: b; c: d"`, parsed by hand: the CSSOM setter below is what
  // applies it (allowed by the page's Content-Security-Policy, unlike markup).
  function copyStyle(text, to) {
    for (const declaration of String(text).split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      const name = declaration.slice(0, colon).trim().toLowerCase();
      let value = declaration.slice(colon + 1).trim();
      const important = /!\s*important$/i.test(value);
      if (important) value = value.replace(/!\s*important$/i, '').trim();
      if (!STYLE_PROPERTIES.has(name) || /url\(|expression\(|\\|[<>]|@import/i.test(value)) continue;
      to.style.setProperty(name, value, important ? 'important' : '');
    }
  }

  function copyAttributes(from, to, tag) {
    for (const attribute of Array.from(from.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name === 'style') {
        copyStyle(value, to);
      } else if (name === 'href' && tag === 'a') {
        const url = safeUrl(value, false);
        if (url) {
          to.setAttribute('href', url);
          to.setAttribute('target', '_blank');
          to.setAttribute('rel', 'noopener noreferrer');
        }
      } else if (name === 'src' && tag === 'img') {
        const url = safeUrl(value, true);
        if (url) to.setAttribute('src', url);
      } else if ((name === 'alt' || name === 'title') && value.length < 1000) {
        to.setAttribute(name, value);
      } else if (['width', 'height', 'colspan', 'rowspan'].includes(name) && /^\d{1,4}%?$/.test(value)) {
        to.setAttribute(name, value);
      } else if (name === 'align' && /^(left|right|center|justify)$/i.test(value)) {
        to.style.textAlign = value.toLowerCase();
      } else if (tag === 'font' && name === 'color' && /^(#[0-9a-f]{3,8}|[a-z]+)$/i.test(value)) {
        to.style.color = value;
      } else if (tag === 'font' && name === 'face' && /^[\w ,'"-]+$/.test(value)) {
        to.style.fontFamily = value;
      } else if (tag === 'font' && name === 'size' && /^[1-7]$/.test(value)) {
        to.style.fontSize = FONT_SIZES[Number(value) - 1];
      }
    }
  }

  function copyChildren(from, to, depth) {
    if (depth > MAX_DEPTH) return;
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.nodeValue));
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;  // comments, processing instructions
      const tag = node.localName;
      if (DROPPED.has(tag)) continue;
      if (!ALLOWED.has(tag)) {
        copyChildren(node, to, depth + 1);  // an unknown wrapper: its content only
        continue;
      }
      const element = document.createElement(tag === 'font' || tag === 'center' ? 'span' : tag);
      if (tag === 'center') element.style.textAlign = 'center';
      if (tag === 'center') element.style.display = 'block';
      copyAttributes(node, element, tag);
      copyChildren(node, element, depth + 1);
      to.appendChild(element);
    }
  }

  // HtmlText -> a DocumentFragment of allowed elements.
  function sanitizeHtml(html) {
    const parsed = new DOMParser().parseFromString(String(html ?? ''), 'text/html');
    const fragment = document.createDocumentFragment();
    copyChildren(parsed.body, fragment, 0);
    return fragment;
  }

  window.cfxSanitizeHtml = sanitizeHtml;
})();
