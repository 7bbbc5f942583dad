// The authenticator suite against the simulator's yubikey5-fw54 profile, with the same assertions as solo1.
import { authenticatorSuite } from '../../support/authenticator-suite';
import { simulatorKind } from '../../support/keys-under-test';

authenticatorSuite(simulatorKind('yubikey5-fw54'));
