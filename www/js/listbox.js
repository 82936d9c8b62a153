// @ts-check
// A listbox of threads as both dashboards use it: the options are the list's
// `[role="option"]` children, the current one is the list's single Tab stop (roving tabindex),
// Arrow keys, Home/End and PageUp/PageDown move, Enter or Space (or a click) opens.

/**
 * Wires `list`; `open(item)` is called for the option clicked or chosen with Enter or Space.
 * @param {HTMLElement} list
 * @param {(item: HTMLElement) => void} open
 */
export function listbox(list, open) {
  const items = () => /** @type {HTMLElement[]} */ ([...list.querySelectorAll('[role="option"]')]);

  /**
   * Makes `item` the list's one Tab stop and scrolls it into view.
   * @param {HTMLElement} item
   */
  function makeCurrent(item) {
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll('[tabindex="0"]'))) el.tabIndex = -1;
    item.tabIndex = 0;
    item.scrollIntoView({ block: "nearest" });
  }

  /** @param {HTMLElement | undefined | null} item */
  function focusItem(item) {
    if (!item) return;
    makeCurrent(item);
    item.focus();
  }

  /** Gives the list a Tab stop (its first option) when none of its options is one. */
  function ensureTabStop() {
    const first = /** @type {HTMLElement | null} */ (list.querySelector('[role="option"]'));
    if (first && !list.querySelector('[role="option"][tabindex="0"]')) first.tabIndex = 0;
  }

  list.addEventListener("click", (event) => {
    const item = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('[role="option"]'));
    if (item) open(item);
  });
  list.addEventListener("keydown", (event) => {
    const all = items();
    const at = all.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    let target = null;
    if (step) target = all[Math.max(0, Math.min(all.length - 1, at + step))];
    else if (event.key === "Home") target = all[0];
    else if (event.key === "End") target = all.at(-1);
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (all[at]) open(all[at]);
      return;
    } else return;
    event.preventDefault();
    focusItem(target);
  });

  return { items, makeCurrent, focusItem, ensureTabStop };
}
