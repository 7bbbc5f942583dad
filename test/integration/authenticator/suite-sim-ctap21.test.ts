// The authenticator suite against the simulator's ctap21 profile, with the same assertions as solo1.
import { authenticatorSuite } from '../../support/authenticator-suite';
import { simulatorKind } from '../../support/keys-under-test';

authenticatorSuite(simulatorKind('ctap21'));
