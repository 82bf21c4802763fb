// Get It Done! progressive enhancement. Everything works without these files: every action is a
// plain form post. With them, actions update the list in place (the server answers the same
// routes with JSON carrying the freshly rendered list), focus lands somewhere sensible, and an
// aria-live region announces what happened. The views say what each control does
// (data-action="toggle", "delete", "edit", "cancel", "save", "undo", "add", "complete-all",
// "clear-completed", "move-up", "move-down") and which task it is about (data-task-id), so no
// script reads a URL.
//
// This is the entry module (views/partials/head.ejs loads it with type="module", deferred like
// any module): announce.js speaks and moves focus, requests.js sends the forms and shows the
// answers, inline-edit.js edits a task's name and due date in place, reorder.js moves tasks (the
// Move buttons, dragging, Alt+arrows), shortcuts.js adds the keyboard shortcuts and their help
// dialog, time-zone.js fills the login and register forms' tz
// field with the browser's time zone. A browser without modules runs none of
// it and gets the pages as they work without JavaScript.
//
// Caching: the page links this file with its fingerprint (/js/app.js?v=<hash>, immutable for a
// year in production), but the imports below resolve to plain /js/announce.js and so on, which
// production caches for an hour. So for up to an hour after a deploy a browser can run the new
// app.js with an older module. Change the modules' exports with that in mind: an import that
// finds no such export stops all of the script, and the pages work as without JavaScript.

import { enhanceInlineEdit } from './inline-edit.js';
import { enhanceReorder } from './reorder.js';
import { enhanceForms } from './requests.js';
import { enhanceShortcuts } from './shortcuts.js';
import { fillTimeZones } from './time-zone.js';

fillTimeZones();

const list = document.getElementById('task-list');
if (list && window.fetch) {
  document.documentElement.classList.add('js');
  enhanceForms(list);
  enhanceInlineEdit(list);
  enhanceReorder(list);
  enhanceShortcuts();
}
