import IOSConfig

/// Boilerplate of real lab configs that the emulator accepts without modelling, in addition to
/// `CommandRegistry.defaultIgnoredCommands`. Each such line is listed once in `ConfigResult.ignored`.
extension DeviceCommands {
    /// Ignored commands beyond the registry's defaults, by mode; `enters` swallows the lines under them.
    public static var ignoredCommands: [(mode: ConfigMode, syntax: String, enters: ConfigMode?)] {
        [
            // Global: services, management and protocols the emulator has no use for.
            (.global, "ip domain lookup [<LINE>]", nil),
            (.global, "ip classless", nil),
            (.global, "ip subnet-zero", nil),
            (.global, "ip source-route", nil),
            (.global, "ip bootp server", nil),
            (.global, "ip finger", nil),
            (.global, "ip gratuitous-arps", nil),
            (.global, "ip icmp rate-limit <LINE>", nil),
            (.global, "ip tcp <LINE>", nil),
            (.global, "ip scp <LINE>", nil),
            (.global, "ip auth-proxy <LINE>", nil),
            (.global, "ip admission <LINE>", nil),
            (.global, "ip dhcp excluded-address <LINE>", nil),
            (.global, "ip dhcp pool <WORD>", .ignoredSubMode),
            (.global, "ipv6 cef", nil),
            (.global, "spanning-tree <LINE>", nil),
            (.global, "vtp <LINE>", nil),
            (.global, "vlan internal allocation policy <WORD>", nil),
            (.global, "errdisable <LINE>", nil),
            (.global, "system mtu <LINE>", nil),
            (.global, "diagnostic <LINE>", nil),
            (.global, "platform <LINE>", nil),
            (.global, "multilink bundle-name <LINE>", nil),
            (.global, "login <LINE>", nil),
            (.global, "file prompt <LINE>", nil),
            (.global, "alias <LINE>", nil),
            (.global, "archive", .ignoredSubMode),
            (.global, "call-home", .ignoredSubMode),
            // Interface: physical layer and per-interface services.
            (.interface, "speed <LINE>", nil),
            (.interface, "duplex <LINE>", nil),
            (.interface, "negotiation auto", nil),
            (.interface, "media-type <LINE>", nil),
            (.interface, "cdp enable", nil),
            (.interface, "clock rate <LINE>", nil),
            (.interface, "keepalive [<LINE>]", nil),
            (.interface, "load-interval <LINE>", nil),
            (.interface, "carrier-delay <LINE>", nil),
            (.interface, "ip redirects", nil),
            (.interface, "ip unreachables", nil),
            (.interface, "ip proxy-arp", nil),
            (.interface, "ip route-cache [<LINE>]", nil),
            (.interface, "ip virtual-reassembly [<LINE>]", nil),
            (.interface, "mop enabled", nil),
            (.interface, "mop sysid", nil),
            (.interface, "spanning-tree <LINE>", nil),
            (.interface, "switchport nonegotiate", nil),
            (.interface, "logging event <LINE>", nil),
            // Line: terminal settings.
            (.line, "length <LINE>", nil),
            (.line, "width <LINE>", nil),
            (.line, "escape-character <LINE>", nil),
            (.line, "speed <LINE>", nil),
        ]
    }

    public static func registerIgnoredCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        for (mode, syntax, enters) in ignoredCommands {
            registry.ignore(mode, syntax, enters: enters)
        }
    }
}
