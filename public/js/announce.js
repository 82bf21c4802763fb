// What a person hears and where their focus lands after an action: the page's one aria-live
// region (#announcer), and the task controls or the new-task field to focus.

const announcer = document.getElementById('announcer');
const newTask = document.getElementById('new-task');

export function announce(text) {
  if (!announcer) return;
  announcer.textContent = '';
  // A fresh text node after a tick is announced even when the words repeat.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function taskItem(id) {
  return id ? document.getElementById('task-' + id) : null;
}

/** Focuses a task's control, by its data-action: its complete/reopen button unless told. */
export function focusTask(id, action = 'toggle') {
  const item = taskItem(id);
  const target = item && item.querySelector(`[data-action="${action}"]`);
  if (target) {
    target.focus();
    return true;
  }
  return false;
}

export function focusNewTask() {
  if (newTask) newTask.focus();
}

/** The task next to this one (after it, else before it), to focus when it leaves the list. */
export function neighbourId(item) {
  if (!item) return null;
  const next = item.nextElementSibling || item.previousElementSibling;
  return next ? next.getAttribute('data-task-id') : null;
}
