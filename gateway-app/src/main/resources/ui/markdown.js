// A small markdown renderer that builds DOM nodes: model output only ever becomes text nodes,
// so no tag, attribute or script in it can reach the page. Links keep only http(s) targets.

const el = (tag, cls) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  return node;
};

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\*[^*\n]+\*|_[^_\n]+_)|(\[[^\]\n]+\]\([^)\s]+\))/;

function inline(parent, text) {
  while (text) {
    const match = INLINE.exec(text);
    if (!match) {
      parent.append(text);
      return;
    }
    if (match.index) parent.append(text.slice(0, match.index));
    const token = match[0];
    if (match[1]) {
      const code = el("code");
      code.textContent = token.slice(1, -1);
      parent.append(code);
    } else if (match[2]) {
      const strong = el("strong");
      inline(strong, token.slice(2, -2));
      parent.append(strong);
    } else if (match[3]) {
      const em = el("em");
      inline(em, token.slice(1, -1));
      parent.append(em);
    } else {
      const [, label, href] = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(token);
      if (/^https?:\/\//i.test(href)) {
        const a = el("a");
        a.href = href;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        a.textContent = label;
        parent.append(a);
      } else {
        parent.append(label);
      }
    }
    text = text.slice(match.index + token.length);
  }
}

/** Renders markdown text into a fragment; an unfinished code fence (while streaming) still shows as code. */
export function render(text) {
  const out = document.createDocumentFragment();
  const lines = text.split("\n");
  let paragraph = null;
  let list = null;
  const endBlocks = () => {
    paragraph = null;
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*```\s*([\w+-]*)/.exec(line);
    if (fence) {
      endBlocks();
      const pre = el("pre");
      const code = el("code");
      if (fence[1]) code.dataset.lang = fence[1];
      const body = [];
      while (++i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i]);
      code.textContent = body.join("\n");
      pre.append(code);
      out.append(pre);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/.exec(line);
    if (!line.trim()) {
      endBlocks();
    } else if (heading) {
      endBlocks();
      const h = el("h" + Math.min(6, heading[1].length + 2));
      inline(h, heading[2]);
      out.append(h);
    } else if (item) {
      paragraph = null;
      const kind = item[1] ? "OL" : "UL";
      if (!list || list.tagName !== kind) {
        list = el(kind.toLowerCase());
        out.append(list);
      }
      const li = el("li");
      inline(li, item[2]);
      list.append(li);
    } else if (/^>\s?/.test(line)) {
      endBlocks();
      const quote = el("blockquote");
      inline(quote, line.replace(/^>\s?/, ""));
      out.append(quote);
    } else {
      list = null;
      if (!paragraph) {
        paragraph = el("p");
        out.append(paragraph);
      } else {
        paragraph.append(el("br"));
      }
      inline(paragraph, line);
    }
  }
  return out;
}
