// Suggestions while typing in the catalogue's search field: an ARIA 1.2
// combobox (list autocomplete) over the titles `/api/forslag` returns.
//
// Without JavaScript the field is a plain search field and the form works as
// ever; with it, the field gets role=combobox and a listbox below it.
// Enter submits the search unless an option is active (then it opens that
// resource); arrow keys move through the options (focus stays in the field,
// `aria-activedescendant` says which option is active); Escape closes the
// list; a polite live region says how many suggestions there are. Listeners
// sit on `document`, so they survive the navigator swapping <body>.
(() => {
  if (!window.fetch) return;
  const FIELD = 'sok';
  const LIST = 'sok-forslag';
  const STATUS = 'sok-forslag-status';
  let items = [];
  let forValue = '';
  let active = -1;
  let timer;
  let asked = 0;
  let statusNode = null;

  const field = () => document.getElementById(FIELD);
  function parts() {
    const input = field();
    if (!input) return null;
    let list = document.getElementById(LIST);
    if (!list) {
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-autocomplete', 'list');
      input.setAttribute('aria-controls', LIST);
      input.setAttribute('aria-expanded', 'false');
      list = document.createElement('ul');
      list.id = LIST;
      list.setAttribute('role', 'listbox');
      list.setAttribute('aria-label', 'Forslag');
      list.className = 'suggestions-list';
      list.hidden = true;
      // The live region the screen reader knows is kept across the
      // navigator's swaps, as the navigator keeps its own.
      const status = statusNode || document.createElement('p');
      statusNode = status;
      status.id = STATUS;
      status.className = 'visually-hidden';
      // A polite live region, not role=status: the page's one status
      // region is the navigator's result count.
      status.setAttribute('aria-live', 'polite');
      status.setAttribute('aria-atomic', 'true');
      input.insertAdjacentElement('afterend', list);
      list.insertAdjacentElement('afterend', status);
    }
    return { input, list, status: document.getElementById(STATUS) };
  }
  function close() {
    const p = parts();
    if (!p) return;
    p.list.hidden = true;
    p.input.setAttribute('aria-expanded', 'false');
    p.input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function render(announce) {
    const p = parts();
    if (!p) return;
    p.list.replaceChildren(...items.map((item, i) => {
      const li = document.createElement('li');
      li.id = `${LIST}-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', i === active ? 'true' : 'false');
      li.dataset.url = item.url;
      li.textContent = item.title;
      return li;
    }));
    const open = items.length > 0 && p.input.value.trim() === forValue;
    p.list.hidden = !open;
    p.input.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open && active >= 0) p.input.setAttribute('aria-activedescendant', `${LIST}-${active}`);
    else p.input.removeAttribute('aria-activedescendant');
    if (announce) {
      p.status.textContent = items.length === 0 ? 'Ingen forslag.'
        : `${items.length} forslag. Bruk pil ned for å velge.`;
    }
  }
  async function ask(value) {
    const mine = ++asked;
    if (value.length < 2) { items = []; forValue = value; close(); return; }
    try {
      const response = await fetch(`/api/forslag?q=${encodeURIComponent(value)}`, { headers: { Accept: 'application/json' } });
      const json = await response.json();
      if (mine !== asked) return;
      items = Array.isArray(json.items) ? json.items : [];
      forValue = value;
      active = -1;
      render(true);
    } catch (e) {
      if (mine === asked) close();
    }
  }
  function choose(i) {
    const item = items[i];
    if (!item) return;
    close();
    // A click on a link, so the page navigator takes it like any other.
    const a = document.createElement('a');
    a.href = item.url;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
  }
  document.addEventListener('input', (ev) => {
    if (ev.target.id !== FIELD) return;
    parts();
    clearTimeout(timer);
    const value = ev.target.value.trim();
    timer = setTimeout(() => ask(value), 150);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.target.id !== FIELD) return;
    const p = parts();
    const open = p && !p.list.hidden;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (!items.length || p.input.value.trim() !== forValue) return;
      ev.preventDefault();
      const n = items.length;
      if (ev.key === 'ArrowDown') active = open ? (active + 1) % n : 0;
      else active = open && active > 0 ? active - 1 : n - 1;
      render(false);
    } else if (ev.key === 'Enter') {
      if (open && active >= 0) {
        ev.preventDefault();
        choose(active);
      } else {
        // The form submits the search; its suggestions are done with.
        items = [];
        close();
      }
    } else if (ev.key === 'Escape' && open) {
      ev.preventDefault();
      close();
    } else if (ev.key === 'Tab') {
      close();
    }
  });
  // A pointer picks an option without taking focus from the field.
  document.addEventListener('mousedown', (ev) => {
    if (ev.target.closest && ev.target.closest(`#${LIST} [role="option"]`)) ev.preventDefault();
  });
  document.addEventListener('click', (ev) => {
    const option = ev.target.closest && ev.target.closest(`#${LIST} [role="option"]`);
    if (option) choose(Number(option.id.slice(LIST.length + 1)));
  });
  document.addEventListener('focusout', (ev) => {
    if (ev.target.id === FIELD) close();
  });
  // The field is a combobox from the start, and again after the navigator
  // swapped the page; after the live search's swap the list comes back as
  // it was.
  parts();
  window.addEventListener('bli:navigated', () => {
    const input = field();
    if (!input) return;
    parts();
    if (document.activeElement === input && items.length) render(false);
    else active = -1;
  });
})();
