// Who is signed in, as the front ends see it: Entra through MSAL, a token from the az CLI or the
// environment, or the drill operator.
import type { Identity } from '../../shared/identity';

export interface AuthService {
  identity(): Promise<Identity | null>;
  signIn(): Promise<Identity>;
  signOut(): Promise<void>;
}
