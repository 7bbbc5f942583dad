// The authenticator suite against the simulator's yubikey5-fw54 profile, with the same assertions as solo1.
import { authenticatorSuite } from '../../support/authenticator-suite';
import { simulatorUnderTest } from '../../support/keys-under-test';

authenticatorSuite(() => simulatorUnderTest('yubikey5-fw54'));
