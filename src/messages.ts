import { PASSWORD_MAX_BYTES, PASSWORD_MIN, TASK_NAME_MAX } from './limits';

// Every sentence a user can read, so routes, views and tests agree on the wording.
export const messages = {
  emailInvalid: 'Enter a valid email address, like name@example.com.',
  emailTaken: 'An account with this email already exists. Log in instead?',
  passwordTooShort: `Use at least ${PASSWORD_MIN} characters.`,
  passwordTooLong: `Use at most ${PASSWORD_MAX_BYTES} bytes (about ${PASSWORD_MAX_BYTES} letters; emoji and accented letters count more).`,
  passwordRequired: 'Enter your password.',
  verifyMismatch: 'The passwords do not match.',
  loginFailed: 'That email and password do not match an account.',
  registered: 'Welcome to Get It Done! Your account is ready.',
  loggedIn: 'Welcome back!',
  loggedOut: 'You have been logged out.',
  loginRequired: 'Please log in to see your tasks.',
  taskBlank: 'Give the task a name.',
  taskTooLong: `Keep task names to ${TASK_NAME_MAX} characters or fewer.`,
  taskAdded: (name: string) => `Added “${name}”.`,
  taskCompleted: (name: string) => `Completed “${name}”. Nice work!`,
  taskReopened: (name: string) => `Reopened “${name}”.`,
  taskRenamed: (name: string) => `Renamed to “${name}”.`,
  taskDeleted: (name: string) => `Deleted “${name}”.`,
  taskRestored: (name: string) => `Restored “${name}”.`,
  completedAll: (count: number) =>
    count === 0 ? 'Nothing left to complete.' : `Completed ${count} ${count === 1 ? 'task' : 'tasks'}.`,
  clearedCompleted: (count: number) =>
    count === 0
      ? 'No completed tasks to clear.'
      : `Cleared ${count} completed ${count === 1 ? 'task' : 'tasks'}.`,
  taskNotFound: 'That task does not exist, or it is not yours.',
  undoExpired: 'That task can no longer be restored.',
} as const;

export const errorPageMessages: Record<number, { title: string; text: string }> = {
  400: { title: 'Bad request', text: 'The request could not be understood. Please go back and try again.' },
  401: { title: 'Log in required', text: 'Please log in and try again.' },
  403: {
    title: 'Form expired',
    text: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
  },
  404: { title: 'Page not found', text: 'We could not find that page.' },
  405: { title: 'Not allowed', text: 'That action is not available here.' },
  413: { title: 'Too much data', text: 'What you sent is too large. Please send less and try again.' },
  415: { title: 'Unsupported data', text: 'What you sent is in a form this site does not accept.' },
  422: { title: 'Check your input', text: 'Some of what you sent is not valid.' },
  429: { title: 'Too many attempts', text: 'Please wait a little and try again.' },
  500: { title: 'Something went wrong', text: 'Something went wrong on our side. Please try again.' },
  503: {
    title: 'Busy for a moment',
    text: 'Get It Done! is busy for a moment. Nothing you saved is lost; please try again shortly.',
  },
};
