/**
 * Small DOM helpers shared by the pages: element builder, CIV figures (with their exact wei in
 * `data-wei`), copyable addresses, times in the viewer's time zone, tables and key figures.
 */
import { civDecimal, formatCiv, formatTime, shortAddress } from "./format.ts";

type Child = Node | string | number | null | undefined | false;

/** Creates an element: `h("a", { href: "#/agents" }, "Agents")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping null/undefined/false. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A CIV amount: formatted text, the exact amount in the title and the wei in `data-wei`. */
export function civ(wei: bigint | string | null | undefined): HTMLElement {
  if (wei === null || wei === undefined) return h("span", { class: "muted" }, "—");
  return h(
    "span",
    { class: "civ", "data-wei": String(wei), title: `${civDecimal(wei)} CIV` },
    formatCiv(wei),
    h("span", { class: "unit" }, " CIV"),
  );
}

/** A block time in the viewer's time zone, as a `<time>` element with the ISO instant. */
export function time(seconds: bigint | number | string | null | undefined): HTMLElement {
  if (seconds === null || seconds === undefined) return h("span", { class: "muted" }, "—");
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return h("time", { datetime: iso, "data-seconds": String(seconds), title: iso }, formatTime(seconds));
}

/** Copies text to the clipboard (falls back to a selection when the Clipboard API is not allowed). */
async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    const input = h("input", { value: text, "aria-label": "Address to copy", readonly: true });
    button.replaceWith(input);
    input.select();
    return;
  }
  setTimeout(() => (button.textContent = "Copy"), 1500);
}

/**
 * An address: shortened text (the full address in its title, for screen readers too), an optional
 * link, and a Copy button that copies the full address.
 */
export function address(value: string | null | undefined, href?: string): HTMLElement {
  if (value === null || value === undefined) return h("span", { class: "muted" }, "—");
  const label = href
    ? h("a", { href, title: value, "aria-label": value }, shortAddress(value))
    : h("span", { title: value, "aria-label": value }, shortAddress(value));
  const button = h(
    "button",
    { type: "button", class: "copy", "aria-label": `Copy address ${value}` },
    "Copy",
  );
  button.addEventListener("click", () => void copy(value, button));
  return h("span", { class: "address", "data-address": value }, h("code", {}, label), button);
}

/** One key figure: a label and a value (with a test hook `data-figure`). */
export function figure(id: string, label: string, value: Child, note?: string): HTMLElement {
  return h(
    "div",
    { class: "figure", "data-figure": id },
    h("div", { class: "label" }, label),
    h("div", { class: "value" }, value),
    note ? h("div", { class: "note" }, note) : null,
  );
}

/** A titled section. */
export function section(title: string, ...children: Child[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/** A table column: header, cell, optional sort key. */
export interface Column<T> {
  header: string;
  cell(row: T): Child;
  /** Numeric columns are right-aligned. */
  numeric?: boolean;
  /** Long text (URIs, lists) wraps instead of widening the table. */
  wrap?: boolean;
  /** Sort key (a column without one is not sortable). */
  sort?(row: T): bigint | number | string;
}

/** Sort state of a sortable table. */
export interface SortState {
  column: number;
  descending: boolean;
}

/**
 * A table in a horizontally scrolling wrapper (usable at phone widths). With `sort`, headers of sortable
 * columns are buttons that sort by that column (aria-sort tells assistive technology).
 */
export function table<T>(
  caption: string,
  columns: Column<T>[],
  rows: T[],
  options: {
    sort?: SortState;
    onSort?: (state: SortState) => void;
    empty?: string;
    rowKey?: (row: T) => string;
  } = {},
): HTMLElement {
  const { sort, onSort } = options;
  let sorted = rows;
  if (sort !== undefined && columns[sort.column]?.sort !== undefined) {
    const key = columns[sort.column]!.sort!;
    sorted = [...rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.descending ? -order : order;
    });
  }
  const head = h(
    "tr",
    {},
    ...columns.map((column, i) => {
      const active = sort?.column === i;
      const ariaSort = active
        ? sort!.descending
          ? "descending"
          : "ascending"
        : column.sort
          ? "none"
          : undefined;
      const th = h("th", { scope: "col", class: column.numeric ? "num" : undefined, "aria-sort": ariaSort });
      if (column.sort && onSort) {
        const button = h(
          "button",
          { type: "button", class: "sort" },
          column.header,
          h("span", { "aria-hidden": "true" }, active ? (sort!.descending ? " ▼" : " ▲") : " ↕"),
        );
        button.addEventListener("click", () =>
          onSort({ column: i, descending: active ? !sort!.descending : true }),
        );
        th.append(button);
      } else th.append(column.header);
      return th;
    }),
  );
  const body = h(
    "tbody",
    {},
    ...sorted.map((row) =>
      h(
        "tr",
        { "data-key": options.rowKey?.(row) },
        ...columns.map((column) =>
          h("td", { class: column.numeric ? "num" : column.wrap ? "wrap" : undefined }, column.cell(row)),
        ),
      ),
    ),
  );
  if (sorted.length === 0)
    body.append(
      h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, options.empty ?? "None yet.")),
    );
  return h(
    "div",
    { class: "table-wrap", tabindex: 0, role: "region", "aria-label": caption },
    h("table", {}, h("caption", {}, caption), h("thead", {}, head), body),
  );
}

/** A link to an agent's page. */
export const agentHref = (id: string | bigint) => `#/agents/${id}`;

/** A link that opens evidence, terms or deliverables (http(s) and ipfs URIs; anything else as text). */
export function uriLink(uri: string | null | undefined): HTMLElement {
  if (!uri) return h("span", { class: "muted" }, "—");
  return /^(https?|ipfs|ar):\/\//i.test(uri)
    ? h("a", { href: uri, rel: "noopener noreferrer", target: "_blank" }, uri)
    : h("span", {}, uri);
}
