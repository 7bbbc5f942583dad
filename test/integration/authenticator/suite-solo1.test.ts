// The authenticator suite against solo1, an authenticator we did not write (test/oracles/solo1).
import { authenticatorSuite } from '../../support/authenticator-suite';
import { solo1UnderTest } from '../../support/keys-under-test';

authenticatorSuite(solo1UnderTest);
