// Get It Done! progressive enhancement. Everything works without this file: every action is a
// plain form post. With it, actions update the list in place (the server answers the same
// routes with JSON carrying the freshly rendered list), focus lands somewhere sensible, and an
// aria-live region announces what happened.
(function () {
  'use strict';

  var list = document.getElementById('task-list');
  if (!list || !window.fetch) return;
  document.documentElement.classList.add('js');

  var announcer = document.getElementById('announcer');
  var newTask = document.getElementById('new-task');
  var addForm = document.getElementById('add-form');

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

  function focusTask(id, selector) {
    var item = taskItem(id);
    var target = item && item.querySelector(selector || '.check');
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

  function send(form) {
    return fetch(form.action, {
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

  function enhancedSubmit(form, event) {
    event.preventDefault();
    // The list is about to be replaced: its fields losing focus must not submit again.
    form.setAttribute('data-submitting', '');
    queue = queue.then(function () {
      return run(form);
    });
  }

  function run(form) {
    var item = form.closest('li[data-task-id]');
    var taskId = item ? item.getAttribute('data-task-id') : null;
    var action = form.getAttribute('action') || '';
    var kind = /\/undo-delete$/.test(action)
      ? 'undo'
      : /\/delete$/.test(action)
        ? 'delete'
        : /\/edit$/.test(action)
          ? 'edit'
          : /\/(complete|reopen)$/.test(action) && item
            ? 'toggle'
            : form === addForm
              ? 'add'
              : 'bulk';
    // A task that leaves the view (deleted, or toggled away under a filter) hands focus on.
    var neighbour = kind === 'delete' || kind === 'toggle' ? neighbourId(item) : null;
    var fromBlur = form.hasAttribute('data-blur');
    if (kind === 'undo') taskId = (action.match(/\/tasks\/(\d+)\//) || [])[1];

    return send(form)
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
        } else if (kind === 'edit') {
          if (!focusTask(taskId, '.task__edit summary')) focusNewTask();
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
    if (form === addForm || form.hasAttribute('data-enhance')) enhancedSubmit(form, event);
  });

  // Inline edit: double-click the name or press Edit; Enter saves, Escape cancels, leaving the
  // field saves. Without JavaScript the same form opens in a disclosure.
  function startEditing(item) {
    var details = item.querySelector('.task__edit');
    var input = item.querySelector('.task__edit-form input[name="name"]');
    if (!details || !input) return;
    details.open = true;
    item.classList.add('task--editing');
    input.setAttribute('data-original', input.value);
    input.focus();
    input.select();
  }

  function stopEditing(item, restore) {
    var details = item.querySelector('.task__edit');
    var input = item.querySelector('.task__edit-form input[name="name"]');
    if (!details || !input) return;
    if (restore) input.value = input.getAttribute('data-original') || input.value;
    clearFieldError(input, 'edit-error-' + item.getAttribute('data-task-id'));
    details.open = false;
    item.classList.remove('task--editing');
  }

  list.addEventListener('click', function (event) {
    var summary = event.target.closest('.task__edit summary');
    if (!summary) return;
    event.preventDefault();
    startEditing(summary.closest('li[data-task-id]'));
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
      stopEditing(item, true);
      var summary = item.querySelector('.task__edit summary');
      if (summary) summary.focus();
    }
  });

  list.addEventListener('focusout', function (event) {
    var form = event.target.closest && event.target.closest('.task__edit-form');
    if (!form || form.hasAttribute('data-submitting')) return;
    var item = form.closest('li[data-task-id]');
    if (!item || !item.classList.contains('task--editing')) return;
    // Moving between the field and its Save button is not leaving the edit.
    if (event.relatedTarget && form.contains(event.relatedTarget)) return;
    var input = form.querySelector('input[name="name"]');
    var value = input.value.trim();
    if (value === (input.getAttribute('data-original') || '').trim()) {
      stopEditing(item, true);
    } else if (value === '') {
      // Leaving an emptied field keeps the old name: a task is never renamed to nothing.
      stopEditing(item, true);
      announce('Name not changed: a task needs a name.');
    } else {
      form.setAttribute('data-blur', '');
      form.requestSubmit();
    }
  });
})();
