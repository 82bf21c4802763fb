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

  function showFieldError(input, errorId, text) {
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
    input.focus();
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
    var neighbour = kind === 'delete' ? neighbourId(item) : null;
    if (kind === 'undo') taskId = (action.match(/\/tasks\/(\d+)\//) || [])[1];

    return send(form)
      .then(function (result) {
        var data = result.data;
        if (result.status === 422 && data.error) {
          var input = form.querySelector('input[type="text"]');
          if (input)
            showFieldError(input, kind === 'add' ? 'task-error' : 'edit-error-' + taskId, data.error.message);
          announce(data.error.message);
          return;
        }
        if (result.status >= 400 || typeof data.html !== 'string') throw new Error('failed');
        list.innerHTML = data.html;
        announce(data.message.text);
        if (kind === 'add') {
          newTask.value = '';
          clearFieldError(newTask, 'task-error');
          focusNewTask();
        } else if (kind === 'toggle' || kind === 'undo') {
          if (!focusTask(taskId)) focusNewTask();
        } else if (kind === 'edit') {
          if (!focusTask(taskId, '.task__edit summary')) focusNewTask();
        } else if (kind === 'delete') {
          if (!focusTask(neighbour)) focusNewTask();
        } else {
          focusNewTask();
        }
      })
      .catch(function () {
        // Anything unexpected (an expired form, a lost session, a network error): let the
        // browser do the plain post, which the server answers with a full page.
        form.submit();
      })
      .then(function () {
        form.removeAttribute('data-submitting');
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
    if (input.value.trim() === (input.getAttribute('data-original') || '').trim()) {
      stopEditing(item, true);
    } else {
      form.requestSubmit();
    }
  });
})();
