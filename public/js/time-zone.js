// Puts the browser's IANA time zone in the register and login forms' hidden tz field, so "today"
// for due dates is the user's today. Without this script the field stays empty: the server then
// keeps UTC (or the zone it has), and the account page can change it.

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return '';
  }
}

/** Fills every input[data-time-zone] on the page (the login and register forms' tz field). */
export function fillTimeZones() {
  const fields = document.querySelectorAll('input[data-time-zone]');
  if (fields.length === 0) return;
  const zone = browserZone();
  for (const field of fields) {
    if (field instanceof HTMLInputElement) field.value = zone;
  }
}
