/**
 * Nomad's API JSON shapes for a job, field by field (PascalCase wire name -> camelCase key).
 * `ignored` lists Nomad fields that are accepted but not modelled (identity, consul, actions …).
 */
import { f, opt, type StructDef } from './wire.js';

const def = (name: string, fields: StructDef['fields'], ignored?: string[]): StructDef => ({
  name,
  fields,
  ...(ignored ? { ignored } : {}),
});

/** Wire shape of WorkloadIdentity (`identity` block). */
export const WorkloadIdentityDef = def('WorkloadIdentity', [
  f('Name', 'string'),
  f('Audience', 'strings'),
  f('ChangeMode', 'string'),
  f('ChangeSignal', 'string'),
  f('Env', 'boolean'),
  f('File', 'boolean'),
  f('Filepath', 'string'),
  f('ServiceName', 'string'),
  f('TTL', 'number', undefined, { key: 'ttl' }),
  f('ExtraClaims', 'strings'),
]);

/** Wire shape of Consul (`consul` block of a group or task). */
export const ConsulDef = def('Consul', [
  f('Namespace', 'string'),
  f('Cluster', 'string'),
  f('Partition', 'string'),
]);

/** Wire shape of Constraint. */
export const ConstraintDef = def('Constraint', [
  f('LTarget', 'string', undefined, { key: 'ltarget' }),
  f('RTarget', 'string', undefined, { key: 'rtarget' }),
  f('Operand', 'string'),
]);

/** Wire shape of Affinity. */
export const AffinityDef = def('Affinity', [
  f('LTarget', 'string', undefined, { key: 'ltarget' }),
  f('RTarget', 'string', undefined, { key: 'rtarget' }),
  f('Operand', 'string'),
  f('Weight', 'number'),
]);

const SpreadTargetDef = def('SpreadTarget', [f('Value', 'string'), f('Percent', 'number')]);
/** Wire shape of Spread. */
export const SpreadDef = def('Spread', [
  f('Attribute', 'string'),
  f('Weight', 'number'),
  f('SpreadTarget', 'structArray', SpreadTargetDef),
]);

/** Wire shape of Update. */
export const UpdateDef = def('UpdateStrategy', [
  f('Stagger', 'number'),
  f('MaxParallel', 'number'),
  f('HealthCheck', 'string'),
  f('MinHealthyTime', 'number'),
  f('HealthyDeadline', 'number'),
  f('ProgressDeadline', 'number'),
  f('Canary', 'number'),
  f('AutoRevert', 'boolean'),
  f('AutoPromote', 'boolean'),
]);

/** Wire shape of Migrate. */
export const MigrateDef = def('MigrateStrategy', [
  f('MaxParallel', 'number'),
  f('HealthCheck', 'string'),
  f('MinHealthyTime', 'number'),
  f('HealthyDeadline', 'number'),
]);

/** Wire shape of Reschedule. */
export const RescheduleDef = def('ReschedulePolicy', [
  f('Attempts', 'number'),
  f('Interval', 'number'),
  f('Delay', 'number'),
  f('DelayFunction', 'string'),
  f('MaxDelay', 'number'),
  f('Unlimited', 'boolean'),
]);

/** Wire shape of Restart. */
export const RestartDef = def('RestartPolicy', [
  f('Attempts', 'number'),
  f('Interval', 'number'),
  f('Delay', 'number'),
  f('Mode', 'string'),
  f('RenderTemplates', 'boolean'),
]);

const PeriodicDef = def('PeriodicConfig', [
  f('Enabled', 'boolean'),
  f('Spec', 'string'),
  f('Specs', 'strings'),
  f('SpecType', 'string'),
  f('ProhibitOverlap', 'boolean'),
  f('TimeZone', 'string'),
]);

const ParameterizedDef = def('ParameterizedJobConfig', [
  f('Payload', 'string'),
  f('MetaRequired', 'strings'),
  f('MetaOptional', 'strings'),
]);

const MultiregionDef = def('Multiregion', [
  opt('Strategy', def('MultiregionStrategy', [f('MaxParallel', 'number'), f('OnFailure', 'string')])),
  f(
    'Regions',
    'structArray',
    def('MultiregionRegion', [
      f('Name', 'string'),
      f('Count', 'number'),
      f('Datacenters', 'strings'),
      f('NodePool', 'string'),
      f('Meta', 'stringMap'),
    ]),
  ),
]);

/** Wire shape of Port. */
export const PortDef = def('Port', [
  f('Label', 'string'),
  f('Value', 'number'),
  f('To', 'number'),
  f('HostNetwork', 'string'),
  f('IgnoreCollision', 'boolean'),
]);

/** Wire shape of Network. */
export const NetworkDef = def('NetworkResource', [
  f('Mode', 'string'),
  f('Device', 'string'),
  f('CIDR', 'string'),
  f('IP', 'string'),
  f('Hostname', 'string'),
  f('MBits', 'number', undefined, { key: 'mbits' }),
  opt('DNS', def('DNSConfig', [f('Servers', 'strings'), f('Searches', 'strings'), f('Options', 'strings')])),
  f('ReservedPorts', 'structArray', PortDef),
  f('DynamicPorts', 'structArray', PortDef),
  opt('CNI', def('CNIConfig', [f('Args', 'stringMap')])),
]);

const DeviceRequestDef = def('RequestedDevice', [
  f('Name', 'string'),
  f('Count', 'number'),
  f('Constraints', 'structArray', ConstraintDef),
  f('Affinities', 'structArray', AffinityDef),
]);

/** Wire shape of Resources. */
export const ResourcesDef = def('Resources', [
  f('CPU', 'number'),
  f('Cores', 'number'),
  f('MemoryMB', 'number'),
  f('MemoryMaxMB', 'number'),
  f('DiskMB', 'number'),
  f('IOPS', 'number'),
  f('Networks', 'structArray', NetworkDef),
  f('Devices', 'structArray', DeviceRequestDef),
  opt('NUMA', def('NUMAResource', [f('Affinity', 'string'), f('Devices', 'strings')])),
  f('SecretsMB', 'number'),
]);

const EphemeralDiskDef = def('EphemeralDisk', [
  f('Sticky', 'boolean'),
  f('Migrate', 'boolean'),
  f('SizeMB', 'number'),
]);

const VolumeDef = def('VolumeRequest', [
  f('Name', 'string'),
  f('Type', 'string'),
  f('Source', 'string'),
  f('ReadOnly', 'boolean'),
  f('Sticky', 'boolean'),
  f('AccessMode', 'string'),
  f('AttachmentMode', 'string'),
  opt('MountOptions', def('CSIMountOptions', [f('FSType', 'string'), f('MountFlags', 'strings')])),
  f('PerAlloc', 'boolean'),
]);

const VolumeMountDef = def('VolumeMount', [
  f('Volume', 'string'),
  f('Destination', 'string'),
  f('ReadOnly', 'boolean'),
  f('PropagationMode', 'string'),
  f('SELinuxLabel', 'string', undefined, { key: 'selinuxLabel' }),
]);

const CheckRestartDef = def('CheckRestart', [
  f('Limit', 'number'),
  f('Grace', 'number'),
  f('IgnoreWarnings', 'boolean'),
]);

const CheckDef = def('ServiceCheck', [
  f('Name', 'string'),
  f('Type', 'string'),
  f('Command', 'string'),
  f('Args', 'strings'),
  f('Path', 'string'),
  f('Protocol', 'string'),
  f('PortLabel', 'string'),
  f('Expose', 'boolean'),
  f('AddressMode', 'string'),
  f('Interval', 'number'),
  f('Timeout', 'number'),
  f('InitialStatus', 'string'),
  f('TLSServerName', 'string'),
  f('TLSSkipVerify', 'boolean'),
  f('Header', 'stringsMap'),
  f('Method', 'string'),
  opt('CheckRestart', CheckRestartDef),
  f('GRPCService', 'string'),
  f('GRPCUseTLS', 'boolean'),
  f('TaskName', 'string'),
  f('SuccessBeforePassing', 'number'),
  f('FailuresBeforeCritical', 'number'),
  f('FailuresBeforeWarning', 'number'),
  f('Body', 'string'),
  f('OnUpdate', 'string'),
  f('Advertise', 'string', undefined, { optional: true }),
  f('Notes', 'string', undefined, { optional: true }),
]);

/** Wire shape of Service. */
export const ServiceDef = def('Service', [
  f('Name', 'string'),
  f('Tags', 'strings'),
  f('CanaryTags', 'strings'),
  f('EnableTagOverride', 'boolean'),
  f('PortLabel', 'string'),
  f('AddressMode', 'string'),
  f('Address', 'string'),
  f('Checks', 'structArray', CheckDef),
  opt('CheckRestart', CheckRestartDef),
  f('Connect', 'any', undefined, { optional: true }),
  f('Meta', 'stringMap'),
  f('CanaryMeta', 'stringMap'),
  f('TaggedAddresses', 'stringMap'),
  f('TaskName', 'string'),
  f('OnUpdate', 'string'),
  f('Provider', 'string'),
  f('Cluster', 'string'),
  f('Kind', 'string', undefined, { optional: true }),
  opt('Identity', WorkloadIdentityDef),
  opt('Weights', def('ServiceWeights', [f('Passing', 'number'), f('Warning', 'number')])),
]);

const ScalingDef = def(
  'ScalingPolicy',
  [
    f('ID', 'string'),
    f('Type', 'string'),
    f('Min', 'number'),
    f('Max', 'number'),
    f('Enabled', 'boolean'),
    f('Policy', 'any'),
    f('Target', 'stringMap'),
  ],
  ['Namespace', 'CreateIndex', 'ModifyIndex'],
);

const TemplateDef = def('Template', [
  f('SourcePath', 'string'),
  f('DestPath', 'string'),
  f('EmbeddedTmpl', 'string'),
  f('ChangeMode', 'string'),
  f('ChangeSignal', 'string'),
  opt(
    'ChangeScript',
    def('ChangeScript', [
      f('Command', 'string'),
      f('Args', 'strings'),
      f('Timeout', 'number'),
      f('FailOnError', 'boolean'),
      f('RunOnFirstRender', 'boolean', undefined, { optional: true }),
    ]),
  ),
  f('Once', 'boolean'),
  f('Splay', 'number'),
  f('Perms', 'string'),
  f('Uid', 'number', undefined, { optional: true }),
  f('Gid', 'number', undefined, { optional: true }),
  f('LeftDelim', 'string'),
  f('RightDelim', 'string'),
  f('Envvars', 'boolean'),
  f('VaultGrace', 'number'),
  opt('Wait', def('WaitConfig', [f('Min', 'number'), f('Max', 'number')])),
  f('ErrMissingKey', 'boolean'),
]);

const ArtifactDef = def('TaskArtifact', [
  f('GetterSource', 'string'),
  f('GetterOptions', 'stringMap'),
  f('GetterHeaders', 'stringMap'),
  f('GetterMode', 'string'),
  f('GetterInsecure', 'boolean'),
  f('RelativeDest', 'string'),
  f('Chown', 'boolean'),
]);

const VaultDef = def('Vault', [
  f('Policies', 'strings'),
  f('Role', 'string'),
  f('Namespace', 'string'),
  f('Cluster', 'string'),
  f('Env', 'boolean'),
  f('DisableFile', 'boolean'),
  f('ChangeMode', 'string'),
  f('ChangeSignal', 'string'),
  f('AllowTokenExpiration', 'boolean'),
]);

const LogConfigDef = def(
  'LogConfig',
  [f('MaxFiles', 'number'), f('MaxFileSizeMB', 'number'), f('Disabled', 'boolean')],
  ['Enabled'],
);

const CSIPluginDef = def('TaskCSIPluginConfig', [
  f('ID', 'string'),
  f('Type', 'string'),
  f('MountDir', 'string'),
  f('StagePublishBaseDir', 'string'),
  f('HealthTimeout', 'number'),
]);

/** Wire shape of Task. */
export const TaskDef = def('Task', [
  f('Name', 'string'),
  f('Driver', 'string'),
  f('User', 'string'),
  f('Config', 'any'),
  f('Env', 'stringMap'),
  f('Services', 'structArray', ServiceDef),
  f('Constraints', 'structArray', ConstraintDef),
  f('Affinities', 'structArray', AffinityDef),
  f('Resources', 'struct', ResourcesDef),
  opt('RestartPolicy', RestartDef),
  f('Meta', 'stringMap'),
  f('KillTimeout', 'number'),
  f('KillSignal', 'string'),
  opt('LogConfig', LogConfigDef),
  f('Artifacts', 'structArray', ArtifactDef),
  opt('Vault', VaultDef),
  f('Templates', 'structArray', TemplateDef),
  opt('DispatchPayload', def('DispatchPayloadConfig', [f('File', 'string')])),
  f('VolumeMounts', 'structArray', VolumeMountDef),
  opt('CSIPluginConfig', CSIPluginDef),
  opt('Lifecycle', def('TaskLifecycle', [f('Hook', 'string'), f('Sidecar', 'boolean')])),
  f('Leader', 'boolean'),
  f('ShutdownDelay', 'number'),
  f('Kind', 'string'),
  f('ScalingPolicies', 'structArray', ScalingDef),
  opt('Consul', ConsulDef),
  opt('Identity', WorkloadIdentityDef),
  f('Identities', 'structArray', WorkloadIdentityDef, { optional: true }),
  f(
    'Actions',
    'structArray',
    def('Action', [f('Name', 'string'), f('Command', 'string'), f('Args', 'strings')]),
    { optional: true },
  ),
  f(
    'Secrets',
    'structArray',
    def('Secret', [
      f('Name', 'string'),
      f('Provider', 'string'),
      f('Path', 'string'),
      f('Config', 'any', undefined, { optional: true }),
      f('Env', 'stringMap', undefined, { optional: true }),
    ]),
    { optional: true },
  ),
  opt(
    'Schedule',
    def('TaskSchedule', [
      opt(
        'Cron',
        def('TaskScheduleCron', [f('Start', 'string'), f('End', 'string'), f('Timezone', 'string')]),
      ),
    ]),
  ),
]);

/** Wire shape of TaskGroup. */
export const TaskGroupDef = def('TaskGroup', [
  f('Name', 'string'),
  f('Count', 'number'),
  f('Constraints', 'structArray', ConstraintDef),
  f('Affinities', 'structArray', AffinityDef),
  f('Spreads', 'structArray', SpreadDef),
  f('Tasks', 'structArray', TaskDef),
  f('Volumes', 'structMap', VolumeDef),
  opt('RestartPolicy', RestartDef),
  opt('ReschedulePolicy', RescheduleDef),
  opt('EphemeralDisk', EphemeralDiskDef),
  opt('Update', UpdateDef),
  opt('Migrate', MigrateDef),
  f('Networks', 'structArray', NetworkDef),
  f('Meta', 'stringMap'),
  f('Services', 'structArray', ServiceDef),
  f('ShutdownDelay', 'number', undefined, { optional: true }),
  f('StopAfterClientDisconnect', 'number', undefined, { optional: true }),
  f('MaxClientDisconnect', 'number', undefined, { optional: true }),
  opt(
    'Disconnect',
    def('DisconnectStrategy', [
      f('LostAfter', 'number'),
      f('StopOnClientAfter', 'number'),
      f('Replace', 'boolean'),
      f('Reconcile', 'string'),
    ]),
  ),
  opt('Scaling', ScalingDef),
  f('PreventRescheduleOnLost', 'boolean'),
  f('MaxRunDuration', 'number', undefined, { optional: true }),
  opt('Consul', ConsulDef),
]);

/** Wire shape of Job. */
export const JobDef = def(
  'Job',
  [
    f('Region', 'string'),
    f('Namespace', 'string'),
    f('ID', 'string'),
    f('Name', 'string'),
    f('Type', 'string'),
    f('Priority', 'number'),
    f('AllAtOnce', 'boolean'),
    f('Datacenters', 'strings'),
    f('NodePool', 'string'),
    f('Constraints', 'structArray', ConstraintDef),
    f('Affinities', 'structArray', AffinityDef),
    f('Spreads', 'structArray', SpreadDef),
    f('TaskGroups', 'structArray', TaskGroupDef),
    opt('Update', UpdateDef),
    opt('Multiregion', MultiregionDef),
    opt('Periodic', PeriodicDef),
    opt('ParameterizedJob', ParameterizedDef),
    opt('Reschedule', RescheduleDef),
    opt('Migrate', MigrateDef),
    f('Meta', 'stringMap'),
    opt(
      'UI',
      def('JobUIConfig', [
        f('Description', 'string'),
        f('Links', 'structArray', def('JobUILink', [f('Label', 'string'), f('URL', 'string')])),
      ]),
      'ui',
    ),
    f('Stop', 'boolean'),
    f('ParentID', 'string'),
    f('Dispatched', 'boolean'),
    f('Payload', 'string'),
    f('ConsulNamespace', 'string'),
    f('VaultNamespace', 'string'),
    f('Status', 'string'),
    f('StatusDescription', 'string'),
    f('Stable', 'boolean'),
    f('Version', 'number'),
    f('SubmitTime', 'number'),
    f('CreateIndex', 'number'),
    f('ModifyIndex', 'number'),
    f('JobModifyIndex', 'number'),
  ],
  ['VersionTag', 'NomadTokenID', 'DispatchIdempotencyToken', 'ConsulToken', 'VaultToken'],
);
