// Public API of the drill area: the simulated fabric, its briefing and client files, the flow.
export { startDrillFabric, type DrillDeviceInfo, type DrillEndpoint, type DrillFabric, type DrillFabricOptions } from './fabric';
export { drillBriefing, type BriefingOptions } from './briefing';
export { DRILL_JUMP_ALIAS, drillDir, drillHostAlias, drillSshConfig, writeDrillClientFiles, type DrillClientOptions } from './client-files';
export { runDrillFlow, type DrillFlowOptions, type DrillStepResult } from './flow';
export { loadDrillConfig, parseDrillConfig, type DrillConfig, type DrillUser } from './config';
export { DRILL_DEFAULT_PORT, DRILL_DEVICES, V15_ACCOUNTS } from './topology';
export type { DrillEvent } from './events';
export type { DrillDeviceRole } from './device-profile';
export type { DrillRole } from './eos-shell';
export * from './errors';
