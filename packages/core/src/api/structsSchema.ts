/**
 * Nomad's API JSON shapes for Node, Allocation, Evaluation and Deployment (server-side structs,
 * as `nomad node status -json` / the HTTP API return them).
 */
import { JobDef, NetworkDef } from './jobSchema.js';
import { f, opt, type StructDef } from './wire.js';

const def = (name: string, fields: StructDef['fields'], ignored?: string[]): StructDef => ({
  name,
  fields,
  ...(ignored ? { ignored } : {}),
});

const DriverInfoDef = def('DriverInfo', [
  f('Attributes', 'stringMap'),
  f('Detected', 'boolean'),
  f('Healthy', 'boolean'),
  f('HealthDescription', 'string'),
  f('UpdateTime', 'time'),
]);

const HostVolumeDef = def('ClientHostVolumeConfig', [
  f('Name', 'string'),
  f('Path', 'string'),
  f('ReadOnly', 'boolean'),
  f('ID', 'string'),
]);

const DeviceAttributeDef = def('Attribute', [
  f('Float', 'number', undefined, { optional: true }),
  f('Int', 'number', undefined, { optional: true }),
  f('String', 'string', undefined, { optional: true }),
  f('Bool', 'boolean', undefined, { optional: true }),
  f('Unit', 'string'),
]);

const NodeDeviceResourceDef = def('NodeDeviceResource', [
  f('Vendor', 'string'),
  f('Type', 'string'),
  f('Name', 'string'),
  f(
    'Instances',
    'structArray',
    def('NodeDevice', [
      f('ID', 'string'),
      f('Healthy', 'boolean'),
      f('HealthDescription', 'string'),
      opt('Locality', def('NodeDeviceLocality', [f('PciBusID', 'string')])),
    ]),
  ),
  f('Attributes', 'structMap', DeviceAttributeDef),
]);

const NodeResourcesDef = def(
  'NodeResources',
  [
    f(
      'Cpu',
      'struct',
      def('NodeCpuResources', [
        f('CpuShares', 'number'),
        f('TotalCpuCores', 'number'),
        f('ReservableCpuCores', 'numbers'),
      ]),
    ),
    f('Memory', 'struct', def('NodeMemoryResources', [f('MemoryMB', 'number')])),
    f('Disk', 'struct', def('NodeDiskResources', [f('DiskMB', 'number')])),
    f('Devices', 'structArray', NodeDeviceResourceDef),
    f('Networks', 'structArray', NetworkDef),
    f(
      'NodeNetworks',
      'structArray',
      def('NodeNetworkResource', [
        f('Mode', 'string'),
        f('Device', 'string'),
        f('MacAddress', 'string'),
        f('Speed', 'number'),
        f(
          'Addresses',
          'structArray',
          def('NodeNetworkAddress', [
            f('Family', 'string'),
            f('Alias', 'string'),
            f('Address', 'string'),
            f('ReservedPorts', 'string'),
            f('Gateway', 'string'),
          ]),
        ),
      ]),
    ),
    f('MinDynamicPort', 'number'),
    f('MaxDynamicPort', 'number'),
  ],
  ['Processors'],
);

const NodeReservedDef = def('NodeReservedResources', [
  f(
    'Cpu',
    'struct',
    def('NodeReservedCpuResources', [f('CpuShares', 'number'), f('ReservedCpuCores', 'numbers')]),
  ),
  f('Memory', 'struct', def('NodeReservedMemoryResources', [f('MemoryMB', 'number')])),
  f('Disk', 'struct', def('NodeReservedDiskResources', [f('DiskMB', 'number')])),
  f('Networks', 'struct', def('NodeReservedNetworkResources', [f('ReservedHostPorts', 'string')])),
]);

const CSIInfoDef = def('CSIInfo', [
  f('PluginID', 'string'),
  f('AllocID', 'string'),
  f('Healthy', 'boolean'),
  f('HealthDescription', 'string'),
  f('UpdateTime', 'time'),
  f('Provider', 'string'),
  f('ProviderVersion', 'string'),
  f('RequiresControllerPlugin', 'boolean'),
  f('RequiresTopologies', 'boolean'),
  opt(
    'ControllerInfo',
    def(
      'CSIControllerInfo',
      [
        f('SupportsCreateDelete', 'boolean'),
        f('SupportsAttachDetach', 'boolean'),
        f('SupportsListVolumes', 'boolean'),
        f('SupportsReadOnlyAttach', 'boolean'),
      ],
      [
        'SupportsGetCapacity',
        'SupportsCreateDeleteSnapshot',
        'SupportsListSnapshots',
        'SupportsClone',
        'SupportsExpand',
        'SupportsListVolumesAttachedNodes',
        'SupportsCondition',
        'SupportsGet',
      ],
    ),
  ),
  opt(
    'NodeInfo',
    def(
      'CSINodeInfo',
      [
        f('ID', 'string'),
        f('MaxVolumes', 'number'),
        opt('AccessibleTopology', def('CSITopology', [f('Segments', 'stringMap')])),
        f('RequiresNodeStageVolume', 'boolean'),
      ],
      ['SupportsStats', 'SupportsExpand', 'SupportsCondition'],
    ),
  ),
]);

/** Wire shape of Node. */
export const NodeDef = def(
  'Node',
  [
    f('ID', 'string'),
    f('SecretID', 'string'),
    f('Datacenter', 'string'),
    f('Name', 'string'),
    f('HTTPAddr', 'string'),
    f('TLSEnabled', 'boolean'),
    f('Attributes', 'stringMap'),
    f('NodeResources', 'struct', NodeResourcesDef),
    f('ReservedResources', 'struct', NodeReservedDef),
    f('Links', 'stringMap'),
    f('Meta', 'stringMap'),
    f('NodeClass', 'string'),
    f('NodePool', 'string'),
    f('ComputedClass', 'string'),
    opt(
      'DrainStrategy',
      def('DrainStrategy', [
        f('Deadline', 'number'),
        f('IgnoreSystemJobs', 'boolean'),
        f('ForceDeadline', 'time'),
        f('StartedAt', 'time'),
      ]),
    ),
    f('SchedulingEligibility', 'string'),
    f('Status', 'string'),
    f('StatusDescription', 'string'),
    f('StatusUpdatedAt', 'number'),
    f('Drivers', 'structMap', DriverInfoDef),
    f('CSIControllerPlugins', 'structMap', CSIInfoDef),
    f('CSINodePlugins', 'structMap', CSIInfoDef),
    f('HostVolumes', 'structMap', HostVolumeDef),
    f('NodeMaxAllocs', 'number'),
    f('CreateIndex', 'number'),
    f('ModifyIndex', 'number'),
  ],
  [
    'CgroupParent',
    'IdentitySigningKeyID',
    'Events',
    'GCVolumesOnNodeGC',
    'HostNetworks',
    'LastDrain',
    'LastMissedHeartbeatIndex',
    'LastAllocUpdateIndex',
    'Resources',
    'Reserved',
    'Drain',
  ],
);

const AllocatedTaskDef = def('AllocatedTaskResources', [
  f('Cpu', 'struct', def('AllocatedCpuResources', [f('CpuShares', 'number'), f('ReservedCores', 'numbers')])),
  f(
    'Memory',
    'struct',
    def('AllocatedMemoryResources', [f('MemoryMB', 'number'), f('MemoryMaxMB', 'number')]),
  ),
  f('Networks', 'structArray', NetworkDef),
  f(
    'Devices',
    'structArray',
    def('AllocatedDeviceResource', [
      f('Vendor', 'string'),
      f('Type', 'string'),
      f('Name', 'string'),
      f('DeviceIDs', 'strings'),
    ]),
  ),
]);

const PortMappingDef = def('AllocatedPortMapping', [
  f('Label', 'string'),
  f('Value', 'number'),
  f('To', 'number'),
  f('HostIP', 'string', undefined, { key: 'hostIp' }),
  f('IgnoreCollision', 'boolean'),
]);

const AllocatedResourcesDef = def('AllocatedResources', [
  f('Tasks', 'structMap', AllocatedTaskDef),
  f(
    'TaskLifecycles',
    'structMap',
    def('TaskLifecycleConfig', [f('Hook', 'string'), f('Sidecar', 'boolean')]),
    { nullValues: true },
  ),
  f(
    'Shared',
    'struct',
    def('AllocatedSharedResources', [
      f('Networks', 'structArray', NetworkDef),
      f('DiskMB', 'number'),
      f('Ports', 'structArray', PortMappingDef),
    ]),
  ),
]);

/** Wire shape of AllocMetric. */
export const AllocMetricDef = def(
  'AllocMetric',
  [
    f('NodesEvaluated', 'number'),
    f('NodesFiltered', 'number'),
    f('NodesInPool', 'number'),
    f('NodePool', 'string'),
    f('NodesAvailable', 'numberMap'),
    f('ClassFiltered', 'numberMap'),
    f('ConstraintFiltered', 'numberMap'),
    f('NodesExhausted', 'number'),
    f('ClassExhausted', 'numberMap'),
    f('DimensionExhausted', 'numberMap'),
    f('QuotaExhausted', 'strings'),
    f('Scores', 'numberMap'),
    f(
      'ScoreMetaData',
      'structArray',
      def('NodeScoreMeta', [f('NodeID', 'string'), f('Scores', 'numberMap'), f('NormScore', 'number')]),
    ),
    f('AllocationTime', 'number'),
    f('CoalescedFailures', 'number'),
  ],
  ['ResourcesExhausted'],
);

const TaskEventDef = def(
  'TaskEvent',
  [
    f('Type', 'string'),
    f('Time', 'number'),
    f('Message', 'string'),
    f('DisplayMessage', 'string'),
    f('Details', 'stringMap'),
    f('FailsTask', 'boolean'),
    f('RestartReason', 'string'),
    f('ExitCode', 'number'),
    f('Signal', 'number'),
    f('KillTimeout', 'number'),
    f('KillReason', 'string'),
    f('StartDelay', 'number'),
    f('DriverError', 'string'),
  ],
  [
    'SetupError',
    'KillError',
    'DownloadError',
    'ValidationError',
    'DiskLimit',
    'DiskSize',
    'FailedSibling',
    'VaultError',
    'TaskSignalReason',
    'TaskSignal',
    'DriverMessage',
    'GenericSource',
  ],
);

const TaskStateDef = def(
  'TaskState',
  [
    f('State', 'string'),
    f('Failed', 'boolean'),
    f('Restarts', 'number'),
    f('LastRestart', 'time'),
    f('StartedAt', 'time'),
    f('FinishedAt', 'time'),
    f('Events', 'structArray', TaskEventDef),
  ],
  ['Paused', 'TaskHandle'],
);

/** Wire shape of Allocation. */
export const AllocationDef = def(
  'Allocation',
  [
    f('ID', 'string'),
    f('Namespace', 'string'),
    f('EvalID', 'string'),
    f('Name', 'string'),
    f('NodeID', 'string'),
    f('NodeName', 'string'),
    f('JobID', 'string'),
    opt('Job', JobDef),
    f('TaskGroup', 'string'),
    opt('AllocatedResources', AllocatedResourcesDef),
    opt('Metrics', AllocMetricDef),
    f('DesiredStatus', 'string'),
    f('DesiredDescription', 'string'),
    f(
      'DesiredTransition',
      'struct',
      def('DesiredTransition', [
        f('Migrate', 'boolean', undefined, { optional: true }),
        f('Reschedule', 'boolean', undefined, { optional: true }),
        f('ForceReschedule', 'boolean', undefined, { optional: true }),
        f('NoShutdownDelay', 'boolean', undefined, { optional: true }),
      ]),
    ),
    f('ClientStatus', 'string'),
    f('ClientDescription', 'string'),
    f('TaskStates', 'structMap', TaskStateDef),
    f('PreviousAllocation', 'string'),
    f('NextAllocation', 'string'),
    f('DeploymentID', 'string'),
    opt(
      'DeploymentStatus',
      def('AllocDeploymentStatus', [
        f('Healthy', 'boolean', undefined, { optional: true }),
        f('Timestamp', 'time'),
        f('Canary', 'boolean'),
        f('ModifyIndex', 'number'),
      ]),
    ),
    opt(
      'RescheduleTracker',
      def('RescheduleTracker', [
        f(
          'Events',
          'structArray',
          def('RescheduleEvent', [
            f('RescheduleTime', 'number'),
            f('PrevAllocID', 'string'),
            f('PrevNodeID', 'string'),
            f('Delay', 'number'),
          ]),
        ),
        f('LastReschedule', 'string'),
      ]),
    ),
    f('FollowupEvalID', 'string'),
    f('PreemptedAllocations', 'strings'),
    f('PreemptedByAllocation', 'string'),
    f('CreateIndex', 'number'),
    f('ModifyIndex', 'number'),
    f('AllocModifyIndex', 'number'),
    f('CreateTime', 'number'),
    f('ModifyTime', 'number'),
  ],
  [
    'Resources',
    'SharedResources',
    'TaskResources',
    'AllocStates',
    'NetworkStatus',
    'SigningKeyID',
    'JobVersion',
  ],
);

const DesiredUpdatesDef = def('DesiredUpdates', [
  f('Ignore', 'number'),
  f('Place', 'number'),
  f('Migrate', 'number'),
  f('Stop', 'number'),
  f('InPlaceUpdate', 'number'),
  f('DestructiveUpdate', 'number'),
  f('Canary', 'number'),
  f('Preemptions', 'number'),
  f('Disconnect', 'number'),
  f('Reconnect', 'number'),
  f('RescheduleNow', 'number'),
  f('RescheduleLater', 'number'),
]);

/** Wire shape of Evaluation. */
export const EvaluationDef = def(
  'Evaluation',
  [
    f('ID', 'string'),
    f('Namespace', 'string'),
    f('Priority', 'number'),
    f('Type', 'string'),
    f('TriggeredBy', 'string'),
    f('JobID', 'string'),
    f('JobModifyIndex', 'number'),
    f('NodeID', 'string'),
    f('NodeModifyIndex', 'number'),
    f('DeploymentID', 'string'),
    f('Status', 'string'),
    f('StatusDescription', 'string'),
    f('Wait', 'number'),
    f('WaitUntil', 'time'),
    f('NextEval', 'string'),
    f('PreviousEval', 'string'),
    f('BlockedEval', 'string'),
    f('FailedTGAllocs', 'structMap', AllocMetricDef),
    f('ClassEligibility', 'boolMap'),
    f('QuotaLimitReached', 'string'),
    f('EscapedComputedClass', 'boolean'),
    f('MissingNonNodeResources', 'strings', undefined, { optional: true }),
    f('AnnotatePlan', 'boolean'),
    opt(
      'PlanAnnotations',
      def('PlanAnnotations', [f('DesiredTGUpdates', 'structMap', DesiredUpdatesDef)], ['PreemptedAllocs']),
    ),
    f('QueuedAllocations', 'numberMap'),
    f('LeaderACL', 'string'),
    f('SnapshotIndex', 'number'),
    f('CreateIndex', 'number'),
    f('ModifyIndex', 'number'),
    f('CreateTime', 'number'),
    f('ModifyTime', 'number'),
  ],
  ['RelatedEvals'],
);

/** Wire shape of Deployment. */
export const DeploymentDef = def('Deployment', [
  f('ID', 'string'),
  f('Namespace', 'string'),
  f('JobID', 'string'),
  f('JobVersion', 'number'),
  f('JobModifyIndex', 'number'),
  f('JobSpecModifyIndex', 'number'),
  f('JobCreateIndex', 'number'),
  f('IsMultiregion', 'boolean'),
  f(
    'TaskGroups',
    'structMap',
    def('DeploymentState', [
      f('AutoRevert', 'boolean'),
      f('AutoPromote', 'boolean'),
      f('ProgressDeadline', 'number'),
      f('RequireProgressBy', 'time'),
      f('Promoted', 'boolean'),
      f('PlacedCanaries', 'strings'),
      f('DesiredCanaries', 'number'),
      f('DesiredTotal', 'number'),
      f('PlacedAllocs', 'number'),
      f('HealthyAllocs', 'number'),
      f('UnhealthyAllocs', 'number'),
    ]),
  ),
  f('Status', 'string'),
  f('StatusDescription', 'string'),
  f('EvalPriority', 'number'),
  f('CreateIndex', 'number'),
  f('ModifyIndex', 'number'),
  f('CreateTime', 'number'),
  f('ModifyTime', 'number'),
]);
