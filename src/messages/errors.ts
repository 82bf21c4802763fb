// The error pages: a title and a sentence for each status.
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
