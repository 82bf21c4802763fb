import type { Flash } from './flash';

declare global {
  namespace Express {
    interface Locals {
      // Who is logged in, and the settings every page of theirs needs.
      currentUser?: { id: number; email: string; timeZone: string; keyboardShortcuts: boolean };
      csrfToken?: () => string;
      flash: Flash[];
      currentPath: string;
      /** This request's "now" (the app's clock), for what "today" is. */
      now: Date;
    }
  }
}

export {};
