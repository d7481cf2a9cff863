// The web player's page: a thin view over the app runtime in the canvasfx
// process. It draws the screen the server sends (GET /api/events: `screen`),
// applies the properties that changed (`patch`), shows the host's surfaces
// (`host`: Notify banners, the device status page, Launch, Exit) and the
// device panel (`device`), and sends the user's input back (POST /api/event).
//
// Every control is an element keyed by the server's control key; its look is
// set from its evaluated properties through the CSSOM. App text is only ever
// assigned as text (textContent, value); HtmlText goes through
// cfxSanitizeHtml. Nothing here evaluates formulas: what to show is decided
// by the runtime.
'use strict';
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const withToken = (path) => `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  const byId = (id) => document.getElementById(id);

  // What the browser tests read: errors of the page itself, the last event
  // applied, the drawn controls.
  const page = { errors: [], seq: 0, screen: null, entries: new Map(), exited: false, device: null };
  window.cfxPage = page;

  function pageError(message) {
    page.errors.push(String(message));
    const box = byId('page-error');
    box.textContent = page.errors.slice(-3).join('\n');
    box.hidden = false;
  }
  window.addEventListener('error', (e) => pageError(e.message || 'script error'));
  window.addEventListener('unhandledrejection', (e) =>
    pageError((e.reason && e.reason.message) || String(e.reason)));

  // --- values ----------------------------------------------------------------

  const num = (v, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const isError = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && 'error' in v;
  const color = (v) => (typeof v === 'string' && v.startsWith('rgba(') ? v : null);
  function text(v) {
    if (v === null || v === undefined || isError(v)) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return '';
  }
  // "Align.Center" -> "Center", "Font.'Open Sans'" -> "Open Sans",
  // "'TextCanvas.Align'.Start" -> "Start".
  function member(v) {
    if (typeof v !== 'string') return '';
    const quoted = v.match(/\.'((?:[^']|'')*)'$/);
    if (quoted) return quoted[1].replace(/''/g, "'");
    const dot = v.lastIndexOf('.');
    return dot >= 0 ? v.slice(dot + 1) : v;
  }
  function mediaUrl(v) {
    if (typeof v !== 'string' || v === '') return null;
    if (v.startsWith('appres://')) return withToken(`/api/media/${encodeURIComponent(v.slice(9))}`);
    if (/^https:\/\//i.test(v) || /^data:image\//i.test(v)) return v;
    return null;
  }
  const FONT_WEIGHTS = { Bold: 700, Semibold: 600, Medium: 500, Normal: 400, Regular: 400, Lighter: 300 };
  const ALIGN = { Left: 'left', Start: 'left', Center: 'center', Right: 'right', End: 'right', Justify: 'justify' };
  const JUSTIFY = { Left: 'flex-start', Start: 'flex-start', Center: 'center', Right: 'flex-end', End: 'flex-end', Justify: 'flex-start' };
  const VALIGN = { Top: 'flex-start', Middle: 'center', Bottom: 'flex-end' };
  const FLEX = { Start: 'flex-start', Center: 'center', End: 'flex-end', SpaceBetween: 'space-between', Stretch: 'stretch' };

  // --- sending input -----------------------------------------------------------

  // One event at a time, in order; typing queued behind a slow event keeps
  // only its latest text.
  const outbox = [];
  let sending = false;
  function send(event) {
    if (page.exited) return;
    if (event.kind === 'text') {
      const waiting = outbox.findIndex((o) => o.kind === 'text' && o.control === event.control && o.row === event.row);
      if (waiting >= 0) {
        outbox[waiting] = event;
        return;
      }
    }
    outbox.push(event);
    pump();
  }
  async function pump() {
    if (sending) return;
    sending = true;
    while (outbox.length) {
      const event = outbox.shift();
      try {
        const response = await fetch(withToken('/api/event'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(event),
        });
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          if (response.status === 409) byId('dev-message').textContent = body.error || 'refused';
          else if (response.status !== 410) pageError(`${event.kind}: ${body.error || response.status}`);
        }
      } catch (e) {
        pageError(`${event.kind}: ${e.message}`);
      }
    }
    sending = false;
  }
  const controlEvent = (entry, kind, extra = {}) =>
    send({ kind, control: entry.ctrl.name, row: entry.row, ...extra });

  // --- drawing -----------------------------------------------------------------

  // An entry: { ctrl (the control's JSON), el, layout ('absolute' | 'flex' |
  // 'flow' | 'fill'), row, parent, children (entries), parts (inner elements) }.
  function build(ctrl, layout, parent) {
    const renderer = (ctrl.component && RENDERERS.Component) || RENDERERS[ctrl.type] || RENDERERS.Unknown;
    const entry = { ctrl, layout, parent, row: ctrl.row ?? -1, children: [], parts: {}, renderer };
    entry.el = renderer.create(entry);
    // A type may be a component's or a code component's name ("AI Output Card").
    entry.el.classList.add('cfx', `cfx-${ctrl.type.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`);
    entry.el.dataset.key = ctrl.key;
    entry.el.dataset.name = ctrl.name;
    entry.el.dataset.type = ctrl.type;
    page.entries.set(ctrl.key, entry);
    if (renderer.children) renderer.children(entry);
    refresh(entry);
    return entry;
  }

  function buildChildren(entry, host, layout) {
    for (const child of entry.ctrl.children || []) {
      const built = build(child, layout, entry);
      entry.children.push(built);
      host.appendChild(built.el);
    }
  }

  function forget(entry) {
    page.entries.delete(entry.ctrl.key);
    for (const child of entry.children) forget(child);
  }

  function refresh(entry) {
    applyBox(entry);
    entry.renderer.update(entry);
  }

  // Position and size in the parent's layout, visibility, display mode.
  function applyBox(entry) {
    const p = entry.ctrl.properties;
    const s = entry.el.style;
    s.display = p.Visible === false ? 'none' : (entry.display || '');
    const width = Math.max(0, num(p.Width));
    const height = Math.max(0, num(p.Height));
    if (entry.layout === 'absolute') {
      entry.el.style.position = '';
      s.left = `${num(p.X)}px`;
      s.top = `${num(p.Y)}px`;
      s.width = `${width}px`;
      s.height = `${height}px`;
    } else if (entry.layout === 'flex') {
      flexItem(entry, width, height);
    } else if (entry.layout === 'flow') {
      entry.el.style.position = 'relative';
      const form = entry.parent.ctrl.properties;
      const columns = Math.max(1, num(form.NumberOfColumns, 1));
      s.width = `${Math.max(width, num(form.Width) / columns)}px`;
      s.height = `${height}px`;
    }
    if ('Tooltip' in p) entry.el.title = text(p.Tooltip);
    entry.mode = member(p.DisplayMode) || 'Edit';
    entry.el.classList.toggle('cfx-disabled', entry.mode === 'Disabled');
    const errors = Object.entries(p).filter(([, v]) => isError(v));
    if (errors.length) entry.el.dataset.errors = errors.map(([k, v]) => `${k}: ${v.error}`).join('\n');
    else delete entry.el.dataset.errors;
  }

  // A control in an auto-layout container: flexible along the container's
  // direction when it has FillPortions, stretched across it unless aligned.
  function flexItem(entry, width, height) {
    const p = entry.ctrl.properties;
    const container = entry.parent.ctrl.properties;
    const s = entry.el.style;
    const horizontal = member(container.LayoutDirection) !== 'Vertical';
    const portions = num(p.FillPortions, 0);
    entry.el.classList.add('cfx-flex-item');
    s.left = '';
    s.top = '';
    const along = horizontal ? 'width' : 'height';
    const across = horizontal ? 'height' : 'width';
    if (portions > 0) {
      s.flex = `${portions} 1 0px`;
      s[along] = '';
      s[horizontal ? 'minWidth' : 'minHeight'] = `${num(horizontal ? p.LayoutMinWidth : p.LayoutMinHeight)}px`;
    } else {
      s.flex = 'none';
      s[along] = `${horizontal ? width : height}px`;
    }
    let align = member(p.AlignInContainer);
    if (!align || align === 'SetByContainer') align = member(container.LayoutAlignItems) || 'Start';
    s.alignSelf = FLEX[align] || 'flex-start';
    s[across] = align === 'Stretch' ? '' : `${horizontal ? height : width}px`;
  }

  function applyFrame(entry, el = entry.el) {
    const p = entry.ctrl.properties;
    const s = el.style;
    const disabled = entry.mode === 'Disabled';
    const fill = color(disabled && p.DisabledFill ? p.DisabledFill : p.Fill);
    s.backgroundColor = fill || 'transparent';
    const thickness = num(p.BorderThickness);
    const style = member(p.BorderStyle) || 'Solid';
    const border = color(disabled && p.DisabledBorderColor ? p.DisabledBorderColor : p.BorderColor);
    s.border = thickness > 0 && style !== 'None' && border ? `${thickness}px ${style.toLowerCase()} ${border}` : '0';
    if ('RadiusTopLeft' in p) {
      s.borderRadius = `${num(p.RadiusTopLeft)}px ${num(p.RadiusTopRight)}px ${num(p.RadiusBottomRight)}px ${num(p.RadiusBottomLeft)}px`;
    } else if ('BorderRadius' in p) {
      s.borderRadius = `${num(p.BorderRadius)}px`;
    }
    if (p.DropShadow && member(p.DropShadow) !== 'None') s.boxShadow = '0 1.6px 3.6px rgba(0,0,0,.13), 0 .3px .9px rgba(0,0,0,.11)';
  }

  function applyPadding(entry, el = entry.el) {
    const p = entry.ctrl.properties;
    if (!('PaddingLeft' in p)) return;
    el.style.padding = `${num(p.PaddingTop)}px ${num(p.PaddingRight)}px ${num(p.PaddingBottom)}px ${num(p.PaddingLeft)}px`;
  }

  // Font.'Open Sans', or a CSS list as text ("'Segoe UI', sans-serif").
  function fontFamily(v) {
    const names = typeof v === 'string' && v.startsWith('Font.') ? [member(v)] : text(v).split(',');
    const quoted = names.map((n) => n.trim().replace(/['"]/g, '')).filter((n) => n)
      .map((n) => (/^(serif|sans-serif|monospace|cursive|fantasy|system-ui)$/.test(n) ? n : `'${n}'`));
    return quoted.length ? `${quoted.join(', ')}, 'Segoe UI', 'Open Sans', sans-serif` : '';
  }

  // Color, font, size, weight, style and alignment of a text-bearing control.
  // Classic controls size text in points; modern ones in pixels.
  function applyFont(entry, el = entry.el) {
    const p = entry.ctrl.properties;
    const s = el.style;
    const disabled = entry.mode === 'Disabled';
    const c = color(disabled && p.DisabledColor ? p.DisabledColor : (p.Color ?? p.FontColor));
    s.color = c || '';
    if ('Font' in p) s.fontFamily = fontFamily(p.Font);
    if ('FontSize' in p) s.fontSize = `${num(p.FontSize, 14)}px`;
    else if ('Size' in p) s.fontSize = entry.modern ? `${num(p.Size, 14)}px` : `${num(p.Size, 13)}pt`;
    const weight = member(p.FontWeight ?? p.Weight);
    s.fontWeight = FONT_WEIGHTS[weight] || '';
    s.fontStyle = p.Italic === true || p.FontItalic === true ? 'italic' : '';
    const lines = [];
    if (p.Underline === true || p.FontUnderline === true) lines.push('underline');
    if (p.Strikethrough === true || p.FontStrikethrough === true) lines.push('line-through');
    s.textDecoration = lines.join(' ');
    if ('LineHeight' in p) s.lineHeight = String(num(p.LineHeight, 1.2));
  }

  // A text box inside `el`, aligned as Align / VerticalAlign say.
  function textPart(entry, el = entry.el) {
    const box = document.createElement('div');
    box.className = 'cfx-text';
    const span = document.createElement('span');
    box.appendChild(span);
    el.appendChild(box);
    entry.parts.box = box;
    entry.parts.text = span;
  }
  function applyText(entry, value, defaultAlign = 'Left') {
    const p = entry.ctrl.properties;
    const { box, text: span } = entry.parts;
    span.textContent = text(value);
    const align = member(p.Align) || defaultAlign;
    span.style.textAlign = ALIGN[align] || 'left';
    box.style.justifyContent = JUSTIFY[align] || 'flex-start';
    box.style.alignItems = VALIGN[member(p.VerticalAlign) || 'Middle'] || 'center';
    span.style.whiteSpace = p.Wrap === false ? 'pre' : 'pre-wrap';
    if (member(p.Overflow) === 'Scroll') box.style.overflowY = 'auto';
  }

  function onSelect(entry, el = entry.el) {
    el.addEventListener('click', (e) => {
      if (entry.mode === 'Disabled') return;
      e.stopPropagation();
      controlEvent(entry, 'select');
    });
    el.classList.add('cfx-clickable');
  }

  // A plain <div> that runs the control's OnSelect when clicked, if it has one.
  function selectableBox(entry) {
    const el = document.createElement('div');
    if (entry.ctrl.onSelect) onSelect(entry, el);
    return el;
  }

  function svgElement(tag, attributes = {}) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
    return el;
  }

  // An icon of icons.js as an <svg>; a dashed square for a name it lacks.
  function iconSvg(name) {
    const svg = svgElement('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' });
    const paths = (window.CFX_ICONS || {})[name];
    if (!paths) {
      svg.appendChild(svgElement('rect', { x: 4, y: 4, width: 16, height: 16, fill: 'none', stroke: 'currentColor', 'stroke-dasharray': '2 2' }));
      return svg;
    }
    for (let d of paths) {
      let rotate = false;
      if (d.startsWith('R:')) {
        rotate = true;
        d = d.slice(2);
      }
      const filled = d.startsWith('F:');
      if (filled) d = d.slice(2);
      const path = svgElement('path', filled
        ? { d, fill: 'currentColor' }
        : { d, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.8, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' });
      if (rotate) path.setAttribute('transform', 'rotate(180 12 12)');
      svg.appendChild(path);
    }
    return svg;
  }

  // Shapes other than rectangles and circles, in a 100 x 100 box.
  const POLYGONS = {
    triangle: '50,0 100,100 0,100',
    pentagon: '50,0 100,38 81,100 19,100 0,38',
    hexagon: '25,0 75,0 100,50 75,100 25,100 0,50',
    octagon: '30,0 70,0 100,30 100,70 70,100 30,100 0,70 0,30',
    star: '50,0 61,35 98,35 68,57 79,91 50,70 21,91 32,57 2,35 39,35',
    arrow: '0,30 60,30 60,0 100,50 60,100 60,70 0,70',
  };

  // The items of a list control (drop down, combo box, list box, radio) and
  // the text shown for each.
  function listItems(entry) {
    const items = entry.ctrl.properties.Items;
    return Array.isArray(items) ? items : [];
  }
  function itemText(entry, item) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return text(item);
    const p = entry.ctrl.properties;
    const fields = Object.keys(item);
    let field = null;
    if (Array.isArray(p.DisplayFields) && typeof p.DisplayFields[0] === 'string') field = p.DisplayFields[0];
    else if (typeof p.Value === 'string' && p.Value in item) field = p.Value;
    if (!field || !(field in item)) field = ['Value', 'Name', 'Title', 'DisplayName'].find((f) => f in item);
    if (!field) field = fields.find((f) => typeof item[f] === 'string') || fields[0];
    return field === undefined ? '' : text(item[field]);
  }
  function selectedIndex(entry, selected) {
    if (selected === null || selected === undefined) return -1;
    const wanted = JSON.stringify(selected);
    return listItems(entry).findIndex((item) => JSON.stringify(item) === wanted);
  }

  // --- renderers: create(entry) -> element, update(entry), children(entry) ---

  // A box whose children are placed inside it (a form's data card, an instance
  // of the app's own component).
  const PLAIN_BOX = {
    create(entry) {
      return document.createElement('div');
    },
    children(entry) { buildChildren(entry, entry.el, 'absolute'); },
    update(entry) { applyFrame(entry); },
  };

  const textControl = {
    create(entry) {
      const el = document.createElement('div');
      entry.modern = entry.ctrl.type === 'Text';
      textPart(entry, el);
      if (entry.ctrl.onSelect) onSelect(entry, el);
      return el;
    },
    update(entry) {
      applyFrame(entry);
      applyPadding(entry);
      applyFont(entry);
      applyText(entry, entry.ctrl.properties.Text);
    },
  };

  const APPEARANCE = {
    Primary: ['#0f6cbd', '#ffffff', '#0f6cbd'],
    Secondary: ['#ffffff', '#242424', '#d1d1d1'],
    Outline: ['transparent', '#242424', '#d1d1d1'],
    Subtle: ['transparent', '#242424', 'transparent'],
    Transparent: ['transparent', '#424242', 'transparent'],
  };
  const buttonControl = {
    create(entry) {
      const el = document.createElement('button');
      el.type = 'button';
      entry.modern = entry.ctrl.type === 'ModernButton';
      if (entry.modern) {
        entry.parts.icon = document.createElement('span');
        entry.parts.icon.className = 'cfx-button-icon';
        el.appendChild(entry.parts.icon);
      }
      textPart(entry, el);
      onSelect(entry, el);
      return el;
    },
    update(entry) {
      const p = entry.ctrl.properties;
      const el = entry.el;
      el.disabled = entry.mode === 'Disabled';
      if (entry.modern) {
        const [fill, fontColor, border] = APPEARANCE[member(p.Appearance)] || APPEARANCE.Primary;
        const base = color(p.BasePaletteColor);
        el.style.setProperty('--cfx-fill', base && member(p.Appearance) === 'Primary' && !base.endsWith(', 0)') ? base : fill);
        const own = color(p.FontColor);
        el.style.setProperty('--cfx-color', own && !own.endsWith(', 0)') ? own : fontColor);
        el.style.setProperty('--cfx-border', border);
        el.style.borderWidth = `${Math.max(1, num(p.BorderThickness))}px`;
        el.style.borderRadius = `${num(p.BorderRadius, 4)}px`;
        el.style.display = p.Visible === false ? 'none' : 'flex';
        el.style.alignItems = 'center';
        el.style.justifyContent = 'center';
        const iconName = text(p.Icon);
        entry.parts.icon.replaceChildren();
        if (iconName) {
          const svg = iconSvg(iconName);
          svg.style.width = '1.2em';
          svg.style.height = '1.2em';
          entry.parts.icon.appendChild(svg);
        }
        entry.parts.box.style.width = 'auto';
        applyFont(entry);
        el.style.color = '';
        applyText(entry, p.Text, 'Center');
        return;
      }
      const disabled = entry.mode === 'Disabled';
      el.style.setProperty('--cfx-fill', color(disabled ? p.DisabledFill : p.Fill) || 'transparent');
      el.style.setProperty('--cfx-color', color(disabled ? p.DisabledColor : p.Color) || '#fff');
      el.style.setProperty('--cfx-border', color(disabled ? p.DisabledBorderColor : p.BorderColor) || 'transparent');
      for (const [variable, property] of [['--cfx-hover-fill', 'HoverFill'], ['--cfx-hover-color', 'HoverColor'],
        ['--cfx-hover-border', 'HoverBorderColor'], ['--cfx-pressed-fill', 'PressedFill'], ['--cfx-pressed-color', 'PressedColor']]) {
        const c = color(p[property]);
        if (c) el.style.setProperty(variable, c);
        else el.style.removeProperty(variable);
      }
      const thickness = num(p.BorderThickness);
      el.style.borderWidth = `${thickness}px`;
      el.style.borderStyle = thickness > 0 ? (member(p.BorderStyle) || 'Solid').toLowerCase() : 'none';
      el.style.borderRadius = `${num(p.RadiusTopLeft)}px ${num(p.RadiusTopRight)}px ${num(p.RadiusBottomRight)}px ${num(p.RadiusBottomLeft)}px`;
      applyPadding(entry);
      applyFont(entry);
      el.style.color = '';
      applyText(entry, p.Text, 'Center');
    },
  };

  const inputControl = {
    create(entry) {
      const el = document.createElement('div');
      const p = entry.ctrl.properties;
      entry.modern = entry.ctrl.type === 'ModernTextInput';
      const multiline = /^multi/i.test(member(p.Mode));
      const input = document.createElement(multiline ? 'textarea' : 'input');
      input.setAttribute('aria-label', entry.ctrl.name);
      // The text the server last knew of (sent, or set from its Text).
      entry.parts.known = null;
      const sendText = () => {
        if (input.value === entry.parts.known) return;
        entry.parts.known = input.value;
        controlEvent(entry, 'text', { text: input.value });
      };
      input.addEventListener('input', sendText);
      // Some edits fire only change (a WebDriver clear, some autofill): send those too.
      input.addEventListener('change', sendText);
      // The server's echo of what is being typed would move the caret: a
      // focused box keeps its own text and takes the server's when left.
      input.addEventListener('blur', () => entry.renderer.update(entry));
      entry.parts.input = input;
      el.appendChild(input);
      return el;
    },
    update(entry) {
      const p = entry.ctrl.properties;
      const input = entry.parts.input;
      applyFrame(entry);
      if (entry.modern && !('BorderThickness' in p)) entry.el.style.border = '1px solid #d1d1d1';
      applyFont(entry);
      const value = text('Text' in p ? p.Text : p.Value);
      if (document.activeElement !== input && input.value !== value) input.value = value;
      if (document.activeElement !== input) entry.parts.known = value;
      input.placeholder = text(p.HintText ?? p.Placeholder);
      const mode = member(p.Mode);
      if (input.tagName === 'INPUT') input.type = mode === 'Password' ? 'password' : 'text';
      if (member(p.Format) === 'Number') input.inputMode = 'decimal';
      const max = num(p.MaxLength);
      if (max > 0) input.maxLength = max;
      else input.removeAttribute('maxlength');
      input.readOnly = entry.mode === 'View';
      input.disabled = entry.mode === 'Disabled';
      input.style.setProperty('--cfx-pad-left', `${num(p.PaddingLeft, 5)}px`);
      input.style.textAlign = ALIGN[member(p.Align)] || 'left';
    },
  };

  const RENDERERS = {
    Screen: {
      create(entry) {
        const el = document.createElement('div');
        entry.display = 'block';
        return el;
      },
      children(entry) { buildChildren(entry, entry.el, 'absolute'); },
      update(entry) {
        const p = entry.ctrl.properties;
        entry.el.classList.remove('cfx');
        entry.el.classList.add('cfx-screen');
        entry.el.style.position = 'relative';
        entry.el.style.left = '0';
        entry.el.style.top = '0';
        entry.el.style.width = `${num(p.Width, 1366)}px`;
        entry.el.style.height = `${num(p.Height, 768)}px`;
        entry.el.style.backgroundColor = color(p.Fill) || '#fff';
        const image = mediaUrl(p.BackgroundImage);
        entry.el.style.backgroundImage = image ? `url("${image.replace(/["\\]/g, '')}")` : '';
        entry.el.style.backgroundSize = 'contain';
        fit();
      },
    },
    Label: textControl,
    Text: textControl,
    Button: buttonControl,
    ModernButton: buttonControl,
    TextInput: inputControl,
    ModernTextInput: inputControl,

    Icon: {
      create: selectableBox,
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyPadding(entry);
        const name = typeof p.Icon === 'string' ? member(p.Icon) : '';
        entry.el.dataset.icon = name;
        const svg = iconSvg(name);
        const rotation = num(p.Rotation);
        if (rotation) svg.style.transform = `rotate(${rotation}deg)`;
        entry.el.replaceChildren(svg);
        entry.el.style.color = color(entry.mode === 'Disabled' && p.DisabledColor ? p.DisabledColor : p.Color) || '#00126b';
      },
    },

    Shape: {
      create: selectableBox,
      update(entry) {
        const p = entry.ctrl.properties;
        const kind = String(entry.ctrl.source || 'rectangle').toLowerCase().replace(/@.*/, '');
        entry.el.dataset.shape = kind;
        const points = POLYGONS[kind];
        if (!points) {
          applyFrame(entry);
          entry.el.style.borderRadius = kind === 'circle' ? '50%' : entry.el.style.borderRadius;
          if (kind === 'line' || kind === 'horizontalline') entry.el.style.backgroundColor = color(p.BorderColor) || color(p.Fill) || '#000';
          return;
        }
        const svg = svgElement('svg', { viewBox: '0 0 100 100', preserveAspectRatio: 'none', width: '100%', height: '100%' });
        const thickness = num(p.BorderThickness);
        svg.appendChild(svgElement('polygon', {
          points,
          fill: color(p.Fill) || 'transparent',
          stroke: thickness > 0 ? (color(p.BorderColor) || 'none') : 'none',
          'stroke-width': thickness,
          'vector-effect': 'non-scaling-stroke',
        }));
        entry.el.replaceChildren(svg);
      },
    },

    Image: {
      create(entry) {
        const el = document.createElement('div');
        const img = document.createElement('img');
        img.alt = '';
        img.addEventListener('error', () => {
          img.style.display = 'none';
          el.classList.add('cfx-missing');
        });
        el.appendChild(img);
        entry.parts.img = img;
        if (entry.ctrl.onSelect) onSelect(entry, el);
        return el;
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyPadding(entry);
        const img = entry.parts.img;
        const url = mediaUrl(p.Image);
        entry.el.classList.toggle('cfx-missing', !url);
        img.style.display = url ? '' : 'none';
        if (url && img.getAttribute('src') !== url) img.src = url;
        const fit = { Fit: 'contain', Fill: 'cover', Stretch: 'fill', Center: 'none', Tile: 'none' };
        img.style.objectFit = fit[member(p.ImagePosition)] || 'contain';
        img.style.opacity = String(1 - num(p.Transparency));
        img.alt = text(p.AccessibleLabel);
      },
    },

    HtmlText: {
      create: selectableBox,
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyPadding(entry);
        applyFont(entry);
        entry.el.replaceChildren(window.cfxSanitizeHtml(text(p.HtmlText)));
      },
    },

    CheckBox: {
      create(entry) {
        const el = document.createElement('div');
        const row = document.createElement('div');
        row.className = 'cfx-check';
        const box = document.createElement('div');
        box.className = 'box';
        box.setAttribute('role', 'checkbox');
        const label = document.createElement('span');
        row.append(box, label);
        el.appendChild(row);
        Object.assign(entry.parts, { box, label });
        row.addEventListener('click', (e) => {
          e.stopPropagation();
          if (entry.mode === 'Edit') controlEvent(entry, 'toggle');
        });
        return el;
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyPadding(entry);
        applyFont(entry);
        const { box, label } = entry.parts;
        const size = num(p.CheckboxSize, 32) * 0.6;
        box.style.width = box.style.height = `${size}px`;
        box.style.borderColor = color(p.CheckboxBorderColor) || '';
        const on = p.Value === true;
        box.setAttribute('aria-checked', String(on));
        box.style.backgroundColor = on ? (color(p.CheckmarkFill) || '#00126b') : (color(p.CheckboxBackgroundFill) || '#fff');
        box.replaceChildren();
        if (on) {
          const mark = iconSvg('Check');
          mark.style.width = mark.style.height = '80%';
          mark.style.color = '#fff';
          box.appendChild(mark);
        }
        label.textContent = text(p.Text);
      },
    },

    Toggle: {
      create(entry) {
        const el = document.createElement('div');
        const row = document.createElement('div');
        row.className = 'cfx-check';
        row.setAttribute('role', 'switch');
        const rail = document.createElement('div');
        rail.className = 'cfx-toggle-rail';
        const handle = document.createElement('div');
        handle.className = 'cfx-toggle-handle';
        rail.appendChild(handle);
        const label = document.createElement('span');
        row.append(rail, label);
        el.appendChild(row);
        Object.assign(entry.parts, { row, rail, handle, label });
        row.addEventListener('click', (e) => {
          e.stopPropagation();
          if (entry.mode === 'Edit') controlEvent(entry, 'toggle');
        });
        return el;
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyFont(entry);
        const on = p.Value === true;
        const { row, rail, handle, label } = entry.parts;
        row.setAttribute('aria-checked', String(on));
        row.style.flexDirection = member(p.TextPosition) === 'Left' ? 'row-reverse' : 'row';
        rail.style.backgroundColor = on ? (color(p.TrueFill) || '#3860b2') : (color(p.FalseFill) || '#808285');
        handle.style.backgroundColor = color(p.HandleFill) || '#fff';
        handle.style.left = on ? 'calc(100% - 88%/2.2 - 6%)' : '6%';
        label.textContent = p.ShowLabel === false ? '' : text(on ? p.TrueText : p.FalseText);
      },
    },

    Slider: {
      create(entry) {
        const el = document.createElement('div');
        const input = document.createElement('input');
        input.type = 'range';
        input.setAttribute('aria-label', entry.ctrl.name);
        input.addEventListener('change', () => controlEvent(entry, 'input', { value: Number(input.value), type: 'number' }));
        el.appendChild(input);
        entry.parts.input = input;
        return el;
      },
      update(entry) {
        const p = entry.ctrl.properties;
        const input = entry.parts.input;
        input.min = String(num(p.Min, 0));
        input.max = String(num(p.Max, 100));
        if (document.activeElement !== input) input.value = String(num(p.Value, 0));
        input.disabled = entry.mode !== 'Edit' || p.ReadOnly === true;
        input.style.setProperty('--cfx-value-fill', color(p.ValueFill) || '#3860b2');
        input.title = text(p.Value);
      },
    },

    Rating: {
      create(entry) {
        return document.createElement('div');
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        const max = Math.min(20, Math.max(1, Math.round(num(p.Max, 5))));
        const value = num(p.Value, 0);
        const stars = [];
        for (let i = 0; i < max; i++) {
          const star = iconSvg(i < value ? 'StarFilled' : 'Star');
          star.style.color = color(p.RatingFill) || '#3860b2';
          star.dataset.index = String(i + 1);
          star.addEventListener('click', (e) => {
            e.stopPropagation();
            if (entry.mode === 'Edit' && p.ReadOnly !== true) controlEvent(entry, 'input', { value: i + 1, type: 'number' });
          });
          stars.push(star);
        }
        entry.el.replaceChildren(...stars);
        entry.el.classList.add('cfx-rating');
      },
    },

    DatePicker: {
      create(entry) {
        const el = document.createElement('div');
        const input = document.createElement('input');
        input.type = 'date';
        input.setAttribute('aria-label', entry.ctrl.name);
        input.addEventListener('change', () => {
          if (input.value) controlEvent(entry, 'input', { value: input.value, type: 'date' });
        });
        el.appendChild(input);
        entry.parts.input = input;
        return el;
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyFont(entry);
        const value = typeof p.SelectedDate === 'string' ? p.SelectedDate.slice(0, 10) : '';
        if (document.activeElement !== entry.parts.input) entry.parts.input.value = value;
        entry.parts.input.disabled = entry.mode !== 'Edit';
      },
    },

    Timer: {
      create(entry) {
        const el = document.createElement('div');
        textPart(entry, el);
        onSelect(entry, el);
        return el;
      },
      update(entry) {
        applyFrame(entry);
        applyFont(entry);
        applyText(entry, entry.ctrl.properties.Text, 'Center');
      },
    },

    Gallery: {
      create(entry) {
        const el = document.createElement('div');
        entry.rows = [];
        return el;
      },
      children(entry) {
        // A gallery's template is drawn once per row; a row is selected by a
        // click that no control of it handled.
        (entry.ctrl.rows || []).forEach((cells, r) => {
          const rowEl = document.createElement('div');
          rowEl.className = 'cfx-gallery-row';
          rowEl.dataset.row = String(r);
          rowEl.addEventListener('click', () => {
            if (entry.mode !== 'Disabled') send({ kind: 'select', control: entry.ctrl.name, row: r });
          });
          const row = { el: rowEl, cells: [] };
          for (const cell of cells) {
            const built = build(cell, 'absolute', entry);
            row.cells.push(built);
            entry.children.push(built);
            rowEl.appendChild(built.el);
          }
          entry.rows.push(row);
          entry.el.appendChild(rowEl);
        });
        const count = entry.ctrl.rowCount || 0;
        if (count > entry.rows.length) {
          const more = document.createElement('div');
          more.className = 'cfx-gallery-more';
          more.textContent = `${count - entry.rows.length} more rows are not shown`;
          entry.parts.more = more;
          entry.el.appendChild(more);
        }
      },
      update(entry) {
        applyFrame(entry);
        layoutGallery(entry);
      },
    },

    DataTable: {
      create(entry) {
        return document.createElement('div');
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyFont(entry);
        const rows = entry.ctrl.rows || [];
        const table = document.createElement('table');
        if (rows.length) {
          const head = table.createTHead().insertRow();
          for (const column of rows[0]) {
            const th = document.createElement('th');
            th.textContent = text(column.properties.FieldDisplayName) || text(column.properties.FieldName) || column.name;
            th.style.backgroundColor = color(p.HeadingFill) || '#3860b2';
            th.style.color = color(p.HeadingColor) || '#fff';
            head.appendChild(th);
          }
          const body = table.createTBody();
          rows.forEach((cells, r) => {
            const tr = body.insertRow();
            tr.addEventListener('click', () => send({ kind: 'select', control: entry.ctrl.name, row: r }));
            for (const cell of cells) tr.insertCell().textContent = text(cell.properties.Text);
          });
        } else {
          table.createCaption().textContent = text(p.NoDataText);
        }
        entry.el.replaceChildren(table);
      },
    },

    Form: {
      create(entry) {
        return document.createElement('div');
      },
      children(entry) {
        // Cards placed nowhere in particular flow in columns, as a form lays them out.
        const cards = entry.ctrl.children || [];
        const placed = cards.some((c) => num(c.properties.X) !== 0 || num(c.properties.Y) !== 0);
        entry.flow = !placed && cards.length > 0;
        if (entry.flow) entry.el.classList.add('cfx-flow');
        buildChildren(entry, entry.el, entry.flow ? 'flow' : 'absolute');
      },
      update(entry) {
        applyFrame(entry);
        if (entry.flow) entry.el.style.display = entry.ctrl.properties.Visible === false ? 'none' : 'flex';
      },
    },

    DataCard: PLAIN_BOX,

    Container: {
      create: selectableBox,
      children(entry) {
        entry.auto = member(entry.ctrl.properties.LayoutMode) === 'Auto';
        buildChildren(entry, entry.el, entry.auto ? 'flex' : 'absolute');
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        if (!entry.auto) return;
        const s = entry.el.style;
        entry.display = 'flex';
        if (p.Visible !== false) s.display = 'flex';
        const horizontal = member(p.LayoutDirection) !== 'Vertical';
        s.flexDirection = horizontal ? 'row' : 'column';
        s.justifyContent = FLEX[member(p.LayoutJustifyContent)] || 'flex-start';
        s.alignItems = FLEX[member(p.LayoutAlignItems)] || 'flex-start';
        s.gap = `${num(p.LayoutGap)}px`;
        s.flexWrap = p.LayoutWrap === true ? 'wrap' : 'nowrap';
        s.overflowX = member(p.LayoutOverflowX) === 'Scroll' ? 'auto' : 'hidden';
        s.overflowY = member(p.LayoutOverflowY) === 'Scroll' ? 'auto' : 'hidden';
        applyPadding(entry);
      },
    },

    // An authoring group: its controls are placed on the group's parent.
    Group: {
      create(entry) {
        return document.createElement('div');
      },
      children(entry) { buildChildren(entry, entry.el, 'absolute'); },
      update(entry) {
        const s = entry.el.style;
        entry.el.classList.add('cfx-group');
        s.left = '0';
        s.top = '0';
        s.width = '100%';
        s.height = '100%';
      },
    },

    Component: PLAIN_BOX,

    // Controls the player cannot draw (code components, retired types): a
    // labelled box, with whatever children they have.
    Unknown: {
      create(entry) {
        const el = document.createElement('div');
        const label = document.createElement('span');
        label.textContent = `${entry.ctrl.name} (${entry.ctrl.source || entry.ctrl.type})`;
        el.appendChild(label);
        el.classList.add('cfx-unknown');
        return el;
      },
      children(entry) { buildChildren(entry, entry.el, 'absolute'); },
      update(entry) {},
    },
  };

  // Lists: a drop down, a combo box and a list box are <select>s; a radio is a group.
  function listControl(size) {
    return {
      create(entry) {
        const el = document.createElement('div');
        const select = document.createElement('select');
        select.setAttribute('aria-label', entry.ctrl.name);
        if (size) select.size = size;
        select.addEventListener('change', () => controlEvent(entry, 'input', { value: select.selectedIndex, type: 'index' }));
        el.appendChild(select);
        entry.parts.select = select;
        return el;
      },
      update(entry) {
        const p = entry.ctrl.properties;
        applyFrame(entry);
        applyFont(entry);
        const select = entry.parts.select;
        const options = listItems(entry).map((item, i) => {
          const option = document.createElement('option');
          option.value = String(i);
          option.textContent = itemText(entry, item);
          return option;
        });
        select.replaceChildren(...options);
        const selected = Array.isArray(p.SelectedItems) ? p.SelectedItems[0] : p.Selected;
        select.selectedIndex = selectedIndex(entry, selected);
        select.disabled = entry.mode !== 'Edit';
      },
    };
  }
  RENDERERS.DropDown = listControl(0);
  RENDERERS.ComboBox = listControl(0);
  RENDERERS.ListBox = listControl(4);
  RENDERERS.Radio = {
    create(entry) {
      return document.createElement('div');
    },
    update(entry) {
      const p = entry.ctrl.properties;
      applyFrame(entry);
      applyFont(entry);
      entry.el.classList.add('cfx-radio');
      entry.el.style.flexDirection = member(p.Layout) === 'Horizontal' ? 'row' : 'column';
      const chosen = selectedIndex(entry, p.Selected);
      const labels = listItems(entry).map((item, i) => {
        const label = document.createElement('label');
        const input = document.createElement('input');
        input.type = 'radio';
        input.name = `radio-${entry.ctrl.key}`;
        input.checked = i === chosen;
        input.disabled = entry.mode !== 'Edit';
        input.addEventListener('change', () => controlEvent(entry, 'input', { value: i, type: 'index' }));
        const caption = document.createElement('span');
        caption.textContent = itemText(entry, item);
        label.append(input, caption);
        return label;
      });
      entry.el.replaceChildren(...labels);
    },
  };

  // Rows of a gallery: vertical or horizontal, WrapCount per line, the
  // template size apart; a flexible-height gallery's rows are as tall as
  // their content.
  function layoutGallery(entry) {
    const p = entry.ctrl.properties;
    const horizontal = member(p.Layout) === 'Horizontal' || /horizontal/i.test(entry.ctrl.variant || '');
    const flexible = /flexible/i.test(`${entry.ctrl.source || ''} ${entry.ctrl.variant || ''}`);
    const wrap = Math.max(1, Math.floor(num(p.WrapCount, 1)));
    const pad = num(p.TemplatePadding);
    const size = num(p.TemplateSize, 100);
    const width = horizontal ? size : num(p.TemplateWidth, num(p.Width));
    const height = horizontal ? Math.max(0, num(p.Height) / wrap - 2 * pad) : num(p.TemplateHeight, size);
    const fill = color(p.TemplateFill);
    let offset = pad;
    let lineSize = 0;
    entry.rows.forEach((row, r) => {
      let rowHeight = height;
      if (flexible) {
        rowHeight = 0;
        for (const cell of row.cells) {
          const q = cell.ctrl.properties;
          if (q.Visible !== false) rowHeight = Math.max(rowHeight, num(q.Y) + num(q.Height));
        }
      }
      const slot = r % wrap;
      const s = row.el.style;
      if (horizontal) {
        s.left = `${offset}px`;
        s.top = `${pad + slot * (height + 2 * pad)}px`;
      } else {
        s.left = `${pad + slot * (width + 2 * pad)}px`;
        s.top = `${offset}px`;
      }
      s.width = `${width}px`;
      s.height = `${rowHeight}px`;
      s.backgroundColor = fill || '';
      lineSize = Math.max(lineSize, horizontal ? width : rowHeight);
      if (slot === wrap - 1 || r === entry.rows.length - 1) {
        offset += lineSize + 2 * pad;
        lineSize = 0;
      }
    });
    if (entry.parts.more) {
      entry.parts.more.style.top = `${offset}px`;
    }
  }

  // --- the screen, scaled to fit ---------------------------------------------

  function fit() {
    const screen = page.screen && page.entries.get(page.screen.key);
    if (!screen) return;
    const p = screen.ctrl.properties;
    const width = num(p.Width, 1366);
    const height = num(p.Height, 768);
    const stage = byId('stage');
    const canvas = byId('canvas');
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const scale = Math.min(stage.clientWidth / width, stage.clientHeight / height) || 1;
    const left = Math.max(0, (stage.clientWidth - width * scale) / 2);
    const top = Math.max(0, (stage.clientHeight - height * scale) / 2);
    canvas.style.transform = `translate(${left}px, ${top}px) scale(${scale})`;
  }
  window.addEventListener('resize', fit);

  function renderScreen(screen) {
    const previous = page.screen;
    page.entries.clear();
    const root = { ...screen, type: 'Screen', children: screen.controls || [] };
    page.screen = root;
    const entry = build(root, 'fill', null);
    if (previous && previous.name !== root.name) {
      entry.el.classList.add('cfx-enter');
      entry.el.addEventListener('animationend', () => entry.el.classList.remove('cfx-enter'), { once: true });
    }
    byId('canvas').replaceChildren(entry.el);
    document.body.dataset.screen = root.name;
    fit();
  }

  function applyPatch(patch) {
    for (const control of patch.replace || []) {
      const old = page.entries.get(control.key);
      if (!old || !old.el.parentNode) continue;
      forget(old);
      const fresh = build(control, old.layout, old.parent);
      old.el.replaceWith(fresh.el);
      if (old.parent) old.parent.children[old.parent.children.indexOf(old)] = fresh;
      if (old.parent && old.parent.rows) {
        for (const row of old.parent.rows) {
          const i = row.cells.indexOf(old);
          if (i >= 0) row.cells[i] = fresh;
        }
      }
    }
    const dirty = new Set();
    for (const change of patch.set || []) {
      const entry = page.entries.get(change.key);
      if (!entry) continue;
      entry.ctrl.properties[change.property] = change.value;
      dirty.add(entry);
    }
    for (const entry of dirty) {
      refresh(entry);
      // A flexible-height gallery follows its rows' content.
      if (entry.parent && entry.parent.rows) layoutGallery(entry.parent);
    }
  }

  // --- host surfaces ----------------------------------------------------------

  function banner(type, message, timeout, link) {
    const el = document.createElement('div');
    el.className = 'banner';
    el.dataset.type = type;
    el.setAttribute('role', type === 'Error' ? 'alert' : 'status');
    const body = document.createElement('span');
    body.className = 'banner-text';
    body.textContent = message;
    el.appendChild(body);
    if (link) el.appendChild(link);
    const close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '\u2715';
    close.addEventListener('click', () => el.remove());
    el.appendChild(close);
    byId('banners').appendChild(el);
    if (timeout > 0) setTimeout(() => el.remove(), timeout);
  }

  function showHostInfo(status) {
    const body = byId('hostinfo-body');
    const section = (title) => {
      const h = document.createElement('h3');
      h.textContent = title;
      body.appendChild(h);
    };
    const table = (rows, head) => {
      const t = document.createElement('table');
      if (head) {
        const tr = t.createTHead().insertRow();
        for (const h of head) {
          const th = document.createElement('th');
          th.textContent = h;
          tr.appendChild(th);
        }
      }
      const tbody = t.createTBody();
      for (const cells of rows) {
        const tr = tbody.insertRow();
        for (const c of cells) tr.insertCell().textContent = String(c);
      }
      body.appendChild(t);
    };
    body.replaceChildren();
    const state = document.createElement('p');
    state.className = 'state';
    state.dataset.state = status.state;
    state.textContent = `${status.state}: ${status.meaning}`;
    body.appendChild(state);
    const facts = [['Last sync', status.lastSync + (status.syncRunning ? ' (a sync is running)' : '')],
      ['Storage used', status.storage]];
    if (status.profile) facts.unshift(['Profile', status.profile]);
    table(facts);
    const pending = status.pending;
    section(`Pending changes: ${pending.total}`);
    table([[`Rows added ${pending.added}, updated ${pending.updated}, removed ${pending.removed}; files ${pending.files}, images ${pending.images}`]]);
    section(`Sync errors: ${status.errors.length}`);
    if (status.errors.length)
      table(status.errors.map((e) => [e.time, e.table || '-', e.record || '-', e.message + (e.code ? ` [${e.code}]` : '')]),
        ['Time', 'Table', 'Record', 'Message']);
    if (status.warnings.length) {
      section(`Warnings: ${status.warnings.length}`);
      table(status.warnings.map((w) => [w]));
    }
    section(`Tables: ${status.tables.length}`);
    table(status.tables.map((t) => [t.name, t.rows, t.lastSync, `${t.intervalMinutes} min`]),
      ['Table', 'Rows', 'Last sync', 'Interval']);
    byId('hostinfo').hidden = false;
  }
  byId('hostinfo-close').addEventListener('click', () => { byId('hostinfo').hidden = true; });

  function hostEvent(h) {
    switch (h.kind) {
      case 'notify':
        banner(h.type || 'Information', h.text, num(h.timeout, 10000));
        break;
      case 'hostinfo':
        showHostInfo(h.status);
        break;
      case 'launch': {
        const opened = window.open(h.url, '_blank', 'noopener,noreferrer');
        if (!opened) {
          const link = document.createElement('a');
          link.href = h.url;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
          link.textContent = 'Open';
          banner('Information', `The app opens ${h.url}`, 0, link);
        }
        break;
      }
      case 'copy':
        if (navigator.clipboard) navigator.clipboard.writeText(h.text).catch(() => {});
        break;
      case 'print':
        window.print();
        break;
      case 'exit':
        page.exited = true;
        byId('ended').hidden = false;
        document.body.dataset.state = 'exited';
        if (page.source) page.source.close();
        break;
      default:
        break;
    }
  }

  // --- the device panel ------------------------------------------------------

  function showDevice(d) {
    page.device = d;
    byId('dev-connected').checked = d.connected;
    byId('dev-metered').checked = d.metered;
    byId('dev-offline').checked = d.appOfflineEnabled;
    byId('dev-player').value = d.player;
    byId('dev-state').textContent = d.state;
    byId('dev-pending').textContent = String(d.pending);
    byId('dev-host-offline').textContent = String(d.hostOfflineEnabled);
    byId('dev-error-count').textContent = String(d.syncErrorCount);
    byId('dev-errors').replaceChildren(...d.syncErrors.map((e) => {
      const li = document.createElement('li');
      li.textContent = `${e.table ? `${e.table}: ` : ''}${e.message}`;
      li.title = e.time;
      return li;
    }));
    byId('dev-sync').disabled = !d.connected || d.syncRunning;
    byId('dev-sync').textContent = d.syncRunning ? 'Syncing\u2026' : 'Sync now';
  }
  const deviceSet = (what, value) => {
    byId('dev-message').textContent = '';
    send({ kind: 'device', set: what, value });
  };
  byId('dev-connected').addEventListener('change', (e) => deviceSet('connected', e.target.checked));
  byId('dev-metered').addEventListener('change', (e) => deviceSet('metered', e.target.checked));
  byId('dev-offline').addEventListener('change', (e) => deviceSet('offline', e.target.checked));
  byId('dev-player').addEventListener('change', (e) => deviceSet('player', e.target.value));
  byId('dev-sync').addEventListener('click', () => {
    byId('dev-message').textContent = '';
    send({ kind: 'device', action: 'sync' });
  });

  // --- the event stream -------------------------------------------------------

  function handle(name, apply) {
    page.source.addEventListener(name, (message) => {
      try {
        const data = JSON.parse(message.data);
        apply(data);
        if (typeof data.seq === 'number') {
          page.seq = data.seq;
          document.body.dataset.seq = String(data.seq);
        }
      } catch (e) {
        pageError(`${name}: ${e.message}`);
      }
    });
  }
  page.source = new EventSource(withToken('/api/events'));
  handle('screen', (d) => {
    renderScreen(d.screen);
    document.body.dataset.state = 'ready';
  });
  handle('patch', applyPatch);
  handle('host', hostEvent);
  handle('device', showDevice);
  page.source.addEventListener('error', () => {
    if (!page.exited) document.body.dataset.state = 'reconnecting';
  });
})();
