// Keyboard shortcuts on the task list. Never while typing in a field, never with Ctrl, Alt or
// the Command key held (those belong to the browser and the system). The single-key ones
// (n / j k x e u ?) are off when the account page says so (WCAG 2.1.4): <body data-single-keys="off">.
// Each shortcut presses a control that is on the page anyway (found by its data-action), so it
// does exactly what that control does (and the list's own script does the rest).

let dialog = null;

/** Typing goes to fields: no shortcut may steal a letter from one. */
function isTyping(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const field = target.closest('input, textarea, select');
  if (!field) return false;
  // Buttons and boxes that take no text are not typing.
  return !(
    field instanceof HTMLInputElement &&
    ['checkbox', 'radio', 'button', 'submit', 'reset'].includes(field.type)
  );
}

const rows = () => [...document.querySelectorAll('#task-list li[data-task-id]')];
const currentRow = () =>
  document.activeElement && document.activeElement.closest('#task-list li[data-task-id]');

function focusRow(row) {
  const target = row && row.querySelector('[data-action="toggle"]');
  if (!target) return;
  target.focus();
  target.scrollIntoView({ block: 'nearest' });
}

/** j / k: the next or previous task, from the focused one (or from the start or the end). */
function step(by) {
  const all = rows();
  if (all.length === 0) return;
  const at = all.indexOf(currentRow());
  if (at === -1) return focusRow(by > 0 ? all[0] : all[all.length - 1]);
  focusRow(all[Math.min(all.length - 1, Math.max(0, at + by))]);
}

function pressInRow(selector) {
  const row = currentRow();
  const control = row && row.querySelector(selector);
  if (control) control.click();
}

let opener = null;

function openHelp() {
  if (!dialog || dialog.open) return;
  opener = document.activeElement;
  dialog.showModal(); // modal: the rest of the page is inert, Escape closes it
}

function enhanceDialog() {
  // A modal dialog makes the page behind inert, but Tab from its last control would go on to
  // the browser's own: keep it going round the dialog's controls instead.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const controls = [...dialog.querySelectorAll('a[href], button, input, select, textarea')];
    const [first, last] = [controls[0], controls[controls.length - 1]];
    if (!first) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  // Focus goes back where it was when the dialog closes (Escape, Close, or its form).
  dialog.addEventListener('close', () => {
    if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus();
    opener = null;
  });
}

/** The single-key shortcuts, by the key they read. */
const singleKeyActions = {
  n: () => document.getElementById('new-task')?.focus(),
  '/': () => {
    const search = document.getElementById('search');
    if (search) {
      search.focus();
      search.select();
    }
  },
  j: () => step(1),
  k: () => step(-1),
  x: () => pressInRow('[data-action="toggle"]'),
  e: () => pressInRow('[data-action="edit"]'),
  u: () => document.querySelector('#task-list form[data-action="undo"] button')?.click(),
  '?': openHelp,
};

/** The shortcuts and their help dialog, on the page of the task list. */
export function enhanceShortcuts() {
  dialog = document.getElementById('shortcuts-dialog');
  const openButton = document.getElementById('shortcuts-open');
  const singleKeys = document.body.getAttribute('data-single-keys') !== 'off';
  if (dialog) enhanceDialog();
  if (openButton && dialog) {
    openButton.hidden = false;
    openButton.addEventListener('click', openHelp);
  }
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if ((dialog && dialog.open) || isTyping(event.target)) return;
    if (event.key === 'Delete') {
      if (!currentRow()) return;
      event.preventDefault();
      pressInRow('[data-action="delete"]');
      return;
    }
    // event.key is the character typed: Shift+n is "N" (no shortcut), Shift+/ is "?" on many keyboards.
    const action =
      singleKeys && Object.hasOwn(singleKeyActions, event.key) ? singleKeyActions[event.key] : null;
    if (!action) return;
    event.preventDefault(); // the key is not typed into the field it focuses
    action();
  });
}
