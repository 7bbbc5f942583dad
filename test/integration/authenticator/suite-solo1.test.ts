// The authenticator suite against solo1, an authenticator we did not write (test/oracles/solo1).
import { authenticatorSuite } from '../../support/authenticator-suite';
import { SOLO1 } from '../../support/keys-under-test';

authenticatorSuite(SOLO1);
