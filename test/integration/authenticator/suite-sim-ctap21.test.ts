// The authenticator suite against the simulator's ctap21 profile, with the same assertions as solo1.
import { authenticatorSuite } from '../../support/authenticator-suite';
import { simulatorUnderTest } from '../../support/keys-under-test';

authenticatorSuite(() => simulatorUnderTest('ctap21'));
