import type { Flash } from '../middleware/flash';

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
