// Get It Done! progressive enhancement. Everything works without this file: every action is a
// plain form post. With it, actions update the list in place (the server answers the same
// routes with JSON carrying the freshly rendered list), focus lands somewhere sensible, and an
// aria-live region announces what happened. The views say what each control does
// (data-action="toggle", "delete", "edit", "cancel", "save", "undo", "add", "complete-all",
// "clear-completed") and which task it is about (data-task-id), so this script never reads a URL.
(function () {
  'use strict';

  var list = document.getElementById('task-list');
  if (!list || !window.fetch) return;
  document.documentElement.classList.add('js');

  var announcer = document.getElementById('announcer');
  var newTask = document.getElementById('new-task');

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = '';
    // A fresh text node after a tick is announced even when the words repeat.
    setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function taskItem(id) {
    return id ? document.getElementById('task-' + id) : null;
  }

  /** Focuses a task's control, by its data-action: its complete/reopen button unless told. */
  function focusTask(id, action) {
    var item = taskItem(id);
    var target = item && item.querySelector('[data-action="' + (action || 'toggle') + '"]');
    if (target) {
      target.focus();
      return true;
    }
    return false;
  }

  function focusNewTask() {
    if (newTask) newTask.focus();
  }

  /** The task next to this one (after it, else before it), to focus when it leaves the list. */
  function neighbourId(item) {
    if (!item) return null;
    var next = item.nextElementSibling || item.previousElementSibling;
    return next ? next.getAttribute('data-task-id') : null;
  }

  function showFieldError(input, errorId, text, moveFocus) {
    var error = document.getElementById(errorId);
    if (!error) {
      error = document.createElement('p');
      error.className = 'field__error';
      error.id = errorId;
      input.closest('form, .field').appendChild(error);
    }
    error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', errorId);
    if (moveFocus) input.focus();
  }

  /** A message in the list's message area, for errors the server answered with JSON. */
  function showMessage(text) {
    var region = list.querySelector('.flash-region');
    if (region) {
      var box = document.createElement('div');
      box.className = 'flash flash--error';
      box.textContent = text;
      region.replaceChildren(box);
    }
    announce(text);
  }

  function clearFieldError(input, errorId) {
    var error = document.getElementById(errorId);
    if (error) error.remove();
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }

  /** What the user asked for: the pressed button's data-action, else the form's. */
  function actionKind(form, submitter) {
    return (submitter && submitter.getAttribute('data-action')) || form.getAttribute('data-action');
  }

  /** Where a submission goes: the pressed button's formaction, else the form's action. */
  function actionOf(form, submitter) {
    return submitter && submitter.hasAttribute('formaction')
      ? submitter.getAttribute('formaction')
      : form.getAttribute('action') || '';
  }

  function send(form, action) {
    return fetch(action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    }).then(function (res) {
      var json = (res.headers.get('Content-Type') || '').indexOf('application/json') === 0;
      if (!json) throw new Error('not json');
      return res.json().then(function (data) {
        return { status: res.status, data: data };
      });
    });
  }

  // Actions run one after another, in the order the user asked for them.
  var queue = Promise.resolve();

  function enhancedSubmit(form, submitter, kind, event) {
    event.preventDefault();
    // The list is about to be replaced: its fields losing focus must not submit again.
    form.setAttribute('data-submitting', '');
    queue = queue.then(function () {
      return run(form, submitter, kind);
    });
  }

  function run(form, submitter, kind) {
    // A task's buttons belong to the page's one #task-actions form: the button's row says which
    // task. Undo is not in a row: its form carries the task's id itself.
    var control = submitter || form;
    var item = control.closest('li[data-task-id]');
    var owner = control.closest('[data-task-id]');
    var taskId = owner ? owner.getAttribute('data-task-id') : null;
    var action = actionOf(form, submitter);
    // A task that leaves the view (deleted, or toggled away under a filter) hands focus on.
    var neighbour = kind === 'delete' || kind === 'toggle' ? neighbourId(item) : null;
    var fromBlur = form.hasAttribute('data-blur');

    return send(form, action)
      .then(function (result) {
        var data = result.data;
        if (result.status === 422 && data.error) {
          var input = form.querySelector('input[type="text"]');
          // After leaving the field, the message shows but focus stays where the user went.
          if (input)
            showFieldError(
              input,
              kind === 'add' ? 'task-error' : 'edit-error-' + taskId,
              data.error.message,
              !fromBlur,
            );
          announce(data.error.message);
          return;
        }
        if (result.status === 401) {
          window.location.assign('/login'); // the session ended: log in again
          return;
        }
        if (result.status === 403) {
          window.location.reload(); // the form expired: a fresh page has a fresh token
          return;
        }
        if (result.status >= 400 || typeof data.html !== 'string') {
          showMessage((data.error && data.error.message) || 'That did not work. Please try again.');
          return;
        }
        list.innerHTML = data.html;
        announce(data.message.text);
        if (kind === 'add') {
          newTask.value = '';
          clearFieldError(newTask, 'task-error');
          focusNewTask();
        } else if (kind === 'toggle') {
          if (!focusTask(taskId) && !focusTask(neighbour)) focusNewTask();
        } else if (kind === 'undo') {
          if (!focusTask(taskId)) focusNewTask();
        } else if (kind === 'save') {
          if (!focusTask(taskId, 'edit')) focusNewTask();
        } else if (kind === 'delete') {
          if (!focusTask(neighbour)) focusNewTask();
        } else {
          focusNewTask();
        }
      })
      .catch(function (err) {
        if (err && err.message === 'not json') {
          // Not an answer the script understands: let the browser post the form as it would
          // without JavaScript, and show the page the server answers with.
          form.action = action;
          form.submit();
          return;
        }
        // No answer at all. Posting again could do the action twice, so say so instead.
        showMessage('Could not reach Get It Done! Check your connection and try again.');
      })
      .then(function () {
        form.removeAttribute('data-submitting');
        form.removeAttribute('data-blur');
      });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var kind = actionKind(form, event.submitter);
    // Not a form this script knows; or a browser that does not say which button was pressed, on
    // the shared #task-actions form (whose buttons name the action): the browser posts it, to the
    // button's formaction, as it would without this script.
    if (!kind) return;
    // An edit already on its way (leaving the field sent it) is not sent twice by its Save button.
    if (kind === 'save' && form.hasAttribute('data-submitting')) {
      event.preventDefault();
      return;
    }
    enhancedSubmit(form, event.submitter, kind, event);
  });

  // Inline edit: double-click the name or press Edit; Enter saves, Escape cancels, leaving the
  // field saves. Without JavaScript, Edit is a link to this page with the task's form open.
  var editTemplate = document.getElementById('edit-template');

  // Opened from an Edit link before the script ran (/?edit=ID): a reload should not reopen it.
  if (/[?&]edit=/.test(window.location.search) && window.history.replaceState) {
    var url = new window.URL(window.location.href);
    url.searchParams.delete('edit');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  function editForm(item) {
    return item.querySelector('form[data-action="save"]');
  }

  function startEditing(item) {
    if (!item || !editTemplate) return;
    var form = editForm(item);
    if (!form) {
      var id = item.getAttribute('data-task-id');
      var name = item.querySelector('[data-task-name]').textContent;
      form = editTemplate.content.firstElementChild.cloneNode(true);
      form.setAttribute('action', form.getAttribute('data-action-url').replace(':id', id));
      form.removeAttribute('data-action-url');
      var label = form.querySelector('label');
      label.htmlFor = 'edit-' + id;
      label.textContent = 'New name for \u201c' + name + '\u201d';
      var field = form.querySelector('input[name="name"]');
      field.id = 'edit-' + id;
      field.value = name;
      field.setAttribute('data-original', name);
      form.querySelector('[data-action="cancel"]').href += '#task-' + id;
      item.querySelector('[data-action="edit"]').after(form);
    }
    item.classList.add('task--editing');
    var input = form.querySelector('input[name="name"]');
    input.focus();
    input.select();
  }

  function stopEditing(item) {
    // The class goes first: a field that loses focus as it is removed must not save.
    item.classList.remove('task--editing');
    var form = editForm(item);
    if (form) form.remove();
  }

  list.addEventListener('click', function (event) {
    var link = event.target.closest('[data-action="edit"]');
    var cancel = event.target.closest('[data-action="cancel"]');
    if (!link && !cancel) return;
    event.preventDefault();
    var item = (link || cancel).closest('li[data-task-id]');
    if (link) startEditing(item);
    else {
      stopEditing(item);
      focusTask(item.getAttribute('data-task-id'), 'edit');
    }
  });

  // Some browsers (Safari) do not focus a button or link when it is pressed: the field would lose
  // focus to nothing and leaving it would save before Cancel or Save is handled. Keep the focus.
  list.addEventListener('mousedown', function (event) {
    if (event.target.closest('[data-action="save"] button, [data-action="save"] a')) event.preventDefault();
  });

  list.addEventListener('dblclick', function (event) {
    var name = event.target.closest('[data-task-name]');
    if (name) startEditing(name.closest('li[data-task-id]'));
  });

  list.addEventListener('keydown', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== 'name') return;
    if (event.key === 'Escape') {
      event.preventDefault();
      var item = input.closest('li[data-task-id]');
      stopEditing(item);
      focusTask(item.getAttribute('data-task-id'), 'edit');
    }
  });

  list.addEventListener('focusout', function (event) {
    var form = event.target.closest && event.target.closest('form[data-action="save"]');
    if (!form || form.hasAttribute('data-submitting')) return;
    var item = form.closest('li[data-task-id]');
    if (!item || !item.classList.contains('task--editing')) return;
    // Moving between the field and its Save button is not leaving the edit.
    if (event.relatedTarget && form.contains(event.relatedTarget)) return;
    var input = form.querySelector('input[name="name"]');
    var value = input.value.trim();
    if (value === (input.getAttribute('data-original') || '').trim()) {
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
})();
