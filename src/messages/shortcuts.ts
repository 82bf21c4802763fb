// The keyboard shortcuts (public/js/shortcuts.js), as the help dialog and the account page name them.

/** Each shortcut: the keys as printed on the keyboard, and what they do. */
export const shortcutList: readonly { keys: readonly string[]; does: string; singleKey: boolean }[] = [
  { keys: ['n'], does: 'Type a new task', singleKey: true },
  { keys: ['/'], does: 'Search your tasks', singleKey: true },
  { keys: ['j'], does: 'Go to the next task', singleKey: true },
  { keys: ['k'], does: 'Go to the previous task', singleKey: true },
  { keys: ['x'], does: 'Complete or reopen the task', singleKey: true },
  { keys: ['e'], does: 'Edit the task', singleKey: true },
  { keys: ['Delete'], does: 'Delete the task', singleKey: false },
  { keys: ['u'], does: 'Undo the last action that offers Undo', singleKey: true },
  // The view draws the arrows as &uarr; and &darr; (the page stays Latin-1).
  { keys: ['Alt', 'ArrowUp'], does: 'Move the task up', singleKey: false },
  { keys: ['Alt', 'ArrowDown'], does: 'Move the task down', singleKey: false },
  { keys: ['?'], does: 'Show this list', singleKey: true },
];

export const shortcutMessages = {
  dialogTitle: 'Keyboard shortcuts',
  openHelp: 'Keyboard shortcuts',
  close: 'Close',
  off: '(off)',
  whenTheyWork: 'They work anywhere on the list, except while you type in a field.',
  singleKeysOff: 'Single-key shortcuts are off: only Delete and Alt with the arrows work. Turn them on',
  singleKeysOn: 'Single-key shortcuts can be turned off',
  onTheAccountPage: 'on the account page',
  settingLabel: 'Use single-key shortcuts (n, /, j, k, x, e, u, ?)',
  settingHint:
    'Turn them off if you use speech input or a screen reader that sends single keys. Delete, and Alt with the arrow keys, keep working.',
  settingInvalid: 'Tick the box or leave it empty.',
  saved: (on: boolean) => (on ? 'Single-key shortcuts are on.' : 'Single-key shortcuts are off.'),
} as const;
