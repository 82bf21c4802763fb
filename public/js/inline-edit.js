// Inline edit: double-click the name or press Edit; Enter saves, Escape cancels, leaving the
// fields (the name and the due date) saves. Without JavaScript, Edit is a button asking for this
// page with the task's form open (?edit=ID), and Cancel one going back to it.
// Saving is a submit of the row's form (data-action="save"), which requests.js sends.

import { announce, focusTask } from './announce.js';

function editForm(item) {
  return item.querySelector('form[data-action="save"]');
}

function startEditing(item, editTemplate) {
  if (!item || !editTemplate) return;
  let form = editForm(item);
  if (!form) {
    const id = item.getAttribute('data-task-id');
    const name = item.querySelector('[data-task-name]').textContent;
    form = editTemplate.content.firstElementChild.cloneNode(true);
    form.setAttribute('action', form.getAttribute('data-action-url').replace(':id', id));
    form.removeAttribute('data-action-url');
    const label = form.querySelector('label');
    label.htmlFor = 'edit-' + id;
    label.textContent = 'New name for \u201c' + name + '\u201d';
    const field = form.querySelector('input[name="name"]');
    field.id = 'edit-' + id;
    field.value = name;
    field.setAttribute('data-original', name);
    const due = form.querySelector('input[name="due"]');
    if (due) {
      due.value = item.getAttribute('data-due') || '';
      due.setAttribute('data-original', due.value);
    }
    // Without the script Cancel would go back to this page at the task's row (it is handled below).
    form.querySelector('[data-action="cancel"]').setAttribute('formaction', '/#task-' + id);
    item.querySelector('[data-action="edit"]').after(form);
  }
  item.classList.add('task--editing');
  const input = form.querySelector('input[name="name"]');
  input.focus();
  input.select();
}

function stopEditing(item) {
  // The class goes first: a field that loses focus as it is removed must not save.
  item.classList.remove('task--editing');
  const form = editForm(item);
  if (form) form.remove();
}

/** Opening, cancelling and leaving a task's edit in place, in the list in `list`. */
export function enhanceInlineEdit(list) {
  const editTemplate = document.getElementById('edit-template');

  // Opened from an Edit link before the script ran (/?edit=ID): a reload should not reopen it.
  if (/[?&]edit=/.test(window.location.search) && window.history.replaceState) {
    const url = new URL(window.location.href);
    url.searchParams.delete('edit');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  list.addEventListener('click', (event) => {
    const link = event.target.closest('[data-action="edit"]');
    const cancel = event.target.closest('[data-action="cancel"]');
    if (!link && !cancel) return;
    event.preventDefault();
    const item = (link || cancel).closest('li[data-task-id]');
    if (link) startEditing(item, editTemplate);
    else {
      stopEditing(item);
      focusTask(item.getAttribute('data-task-id'), 'edit');
    }
  });

  // Some browsers (Safari) do not focus a button or link when it is pressed: the field would lose
  // focus to nothing and leaving it would save before Cancel or Save is handled. Keep the focus.
  list.addEventListener('mousedown', (event) => {
    if (event.target.closest('[data-action="save"] button, [data-action="save"] a')) event.preventDefault();
  });

  list.addEventListener('dblclick', (event) => {
    const name = event.target.closest('[data-task-name]');
    if (name) startEditing(name.closest('li[data-task-id]'), editTemplate);
  });

  list.addEventListener('keydown', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== 'name') return;
    if (event.key === 'Escape') {
      event.preventDefault();
      const item = input.closest('li[data-task-id]');
      stopEditing(item);
      focusTask(item.getAttribute('data-task-id'), 'edit');
    }
  });

  list.addEventListener('focusout', (event) => {
    const form = event.target.closest && event.target.closest('form[data-action="save"]');
    if (!form || form.hasAttribute('data-submitting')) return;
    const item = form.closest('li[data-task-id]');
    if (!item || !item.classList.contains('task--editing')) return;
    // Moving between the field and its Save button is not leaving the edit.
    if (event.relatedTarget && form.contains(event.relatedTarget)) return;
    const input = form.querySelector('input[name="name"]');
    const value = input.value.trim();
    const due = form.querySelector('input[name="due"]');
    const dueChanged = due && due.value !== (due.getAttribute('data-original') || '');
    if (value === (input.getAttribute('data-original') || '').trim() && !dueChanged) {
      stopEditing(item);
    } else if (value === '') {
      // Leaving an emptied field keeps the old name: a task is never renamed to nothing.
      stopEditing(item);
      announce('Name not changed: a task needs a name.');
    } else {
      form.setAttribute('data-blur', '');
      form.requestSubmit();
    }
  });
}
