import type { Flash } from './flash';

declare global {
  namespace Express {
    interface Locals {
      currentUser?: { id: number; email: string };
      csrfToken?: () => string;
      flash: Flash[];
      currentPath: string;
    }
  }
}

export {};
