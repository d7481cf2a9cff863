// The Offline template's globe icon in a script:
// `canvasfx --store :memory: run examples/offline_globe.fx`. Each formula
// prints its result; `canvasfx store set ...` changes what the signals say.

Set(globe,
    Switch(Connection.Sync,
       ConnectionSync.Connected, Icon.Globe,
       ConnectionSync.ConnectedWithWarning, Icon.GlobeWarning,
       ConnectionSync.ConnectedPendingUpsync, Icon.GlobeChangesPending,
       ConnectionSync.ConnectedError, Icon.GlobeError,
       ConnectionSync.ConnectedRefresh, Icon.GlobeRefresh,
       ConnectionSync.NotConnected, Icon.GlobeNotConnected,
       ConnectionSync.NotConnectedWithWarning, Icon.GlobeWarning,
       ConnectionSync.NotConnectedPendingUpsync, Icon.GlobeChangesPending,
       ConnectionSync.NotConnectedSyncError, Icon.GlobeError))

// Visible = Host.OfflineEnabled: the app's "Can be used offline" setting.
Host.OfflineEnabled

// The state behind the icon, and what the device knows.
Connection

// A local write queues an upsync change: the globe would now show
// Icon.GlobeChangesPending until a sync uploads it.
Patch(Accounts, First(Accounts), {Name: "Renamed offline"}).Name
Connection.Sync
