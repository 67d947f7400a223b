namespace Partnerships.Tests.Domain.Webhooks;

/// <summary>Webhook URLs the service must refuse, each with words its reason must contain; shared by the domain and HTTP tests.</summary>
public static class WebhookTargetCases
{
    /// <summary>Names the tests' resolver answers for (see <see cref="Infrastructure.FixedResolver"/>).</summary>
    public static Infrastructure.FixedResolver Resolver() => new Infrastructure.FixedResolver()
        .Set("hooks.partner-one.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
        .Set("xn--bcher-kva.partner-one.com", "93.184.215.15")
        .Set("internal.partner-one.com", "10.0.0.5")
        .Set("mixed.partner-one.com", "93.184.215.14", "127.0.0.1")
        .Set("metadata.partner-one.com", "169.254.169.254")
        .Set("nat64.partner-one.com", "64:ff9b::a00:1")
        .Set("mapped.partner-one.com", "::ffff:192.168.1.1")
        .Set("cgnat.partner-one.com", "100.100.100.100");

    public static readonly (string Url, string Reason)[] Refused =
    [
        // As reported.
        ("https://localhost.:1/", "single-label"),
        ("https://127。0。0。1/", "loopback"),
        ("https://ｌｏｃａｌｈｏｓｔ/", "single-label"),
        ("https://[64:ff9b::7f00:1]/", "NAT64 address (64:ff9b::/96, for 127.0.0.1)"),
        ("https://[2002:7f00:1::1]/", "6to4 address for 127.0.0.1 is a loopback"),
        ("https://127.0.0.1:1@evil.example/", "user name or password"),
        ("https://metadata.google.internal/", "under .internal"),
        ("https://198.18.0.1/", "benchmarking"),
        ("https://192.0.0.1/", "IETF protocol assignment"),
        // Scheme, syntax, userinfo.
        ("", "is required"),
        ("not a url", "is required"),
        ("/relative/hooks", "must be an https URL"),
        ("http://hooks.partner-one.com/", "must use https"),
        ("ftp://hooks.partner-one.com/", "must be an https URL"),
        ("https://user@hooks.partner-one.com/", "user name or password"),
        ("https://user:secret@hooks.partner-one.com/", "user name or password"),
        ("https://@hooks.partner-one.com/", "user name or password"),
        ("https://hooks.partner-one.com:1@10.0.0.1/", "user name or password"),
        // Every spelling of loopback.
        ("https://localhost/", "single-label"),
        ("https://LOCALHOST:8443/", "single-label"),
        ("https://api.localhost/", "under .localhost"),
        ("https://api。localhost/", "under .localhost"),
        ("https://ＬＯＣＡＬＨＯＳＴ./", "single-label"),
        ("https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/", "single-label"),
        ("https://𝐥𝐨𝐜𝐚𝐥𝐡𝐨𝐬𝐭/", "single-label"),
        ("https://local\u200Bhost/", "single-label"),
        ("https://local\u00ADhost/", "single-label"),
        ("https://lo\u200Dcalhost/", "joiner"),
        ("https://xn--mi7cdqncpe6aj.com/", "not a valid IDNA label"),
        ("https://127．0．0．1/", "loopback"),
        ("https://127｡0｡0｡1/", "loopback"),
        ("https://１２７.０.０.１/", "loopback"),
        ("https://127.1/", "loopback"),
        ("https://0x7f000001/", "loopback"),
        ("https://2130706433/", "loopback"),
        ("https://0177.0.0.1/", "loopback"),
        ("https://127.255.255.254/", "loopback"),
        ("https://[::1]/", "loopback"),
        ("https://[0:0:0:0:0:0:0:1]/", "loopback"),
        ("https://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("https://[::ffff:8.8.8.8]/", "IPv4-mapped"),
        ("https://[::127.0.0.1]/", "IPv4-compatible"),
        ("https://[::ffff:0:a00:1]/", "IPv4-translated"),
        // IPv4 special-purpose ranges.
        ("https://0.0.0.0/", "'this network'"),
        ("https://0/", "'this network'"),
        ("https://10.1.2.3/", "private"),
        ("https://172.16.0.1/", "private"),
        ("https://172.31.255.255/", "private"),
        ("https://192.168.1.1/", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://100.64.0.1/", "carrier-grade NAT"),
        ("https://100.127.255.255/", "carrier-grade NAT"),
        ("https://198.19.255.255/", "benchmarking"),
        ("https://192.0.0.170/", "IETF protocol assignment"),
        ("https://192.0.2.1/", "TEST-NET-1"),
        ("https://198.51.100.7/", "TEST-NET-2"),
        ("https://203.0.113.9/", "TEST-NET-3"),
        ("https://192.88.99.1/", "6to4 relay"),
        ("https://224.0.0.1/", "multicast"),
        ("https://239.255.255.250/", "multicast"),
        ("https://240.0.0.1/", "reserved"),
        ("https://255.255.255.255/", "reserved"),
        // IPv6 special-purpose ranges.
        ("https://[::]/", "unspecified"),
        ("https://[fe80::1]/", "link-local"),
        ("https://[fe80::1%25eth0]/", "zone index"),
        ("https://[fc00::1]/", "unique-local"),
        ("https://[fd12:3456:789a::1]/", "unique-local"),
        ("https://[fec0::1]/", "site-local"),
        ("https://[ff02::1]/", "multicast"),
        ("https://[2001:db8::1]/", "documentation"),
        ("https://[3fff::1]/", "documentation"),
        ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
        ("https://[2001:2::1]/", "IETF protocol assignment"),
        ("https://[100::1]/", "discard-only"),
        ("https://[64:ff9b::a9fe:a9fe]/", "for 169.254.169.254"),
        ("https://[64:ff9b::8.8.8.8]/", "NAT64"),
        ("https://[64:ff9b:1::a00:1]/", "local-use NAT64"),
        ("https://[2002:a00:1::1]/", "6to4 address for 10.0.0.1 is a private"),
        ("https://[2002:c0a8:101::1]/", "6to4 address for 192.168.1.1"),
        ("https://[2002:a9fe:a9fe::1]/", "6to4 address for 169.254.169.254"),
        ("https://[5f00::1]/", "segment-routing"),
        ("https://[4000::1]/", "outside the global unicast range"),
        // Names for internal use.
        ("https://metadata/", "single-label"),
        ("https://intranet:8443/hooks", "single-label"),
        ("https://ｍｅｔａｄａｔａ．ｇｏｏｇｌｅ．ｉｎｔｅｒｎａｌ/", "under .internal"),
        ("https://metadata.google.inter\u00ADnal/", "under .internal"),
        ("https://METADATA.GOOGLE.INTERNAL./", "under .internal"),
        ("https://printer.local/", "under .local"),
        ("https://router.home.arpa/", "under .arpa"),
        ("https://1.0.0.127.in-addr.arpa/", "under .arpa"),
        ("https://db.localdomain/", "under .localdomain"),
        ("https://hooks.corp/", "under .corp"),
        ("https://hooks.lan/", "under .lan"),
        ("https://hooks.test/", "under .test"),
        ("https://hooks.invalid/", "under .invalid"),
        ("https://abcdefghijklmnop.onion/", "under .onion"),
        // Not a host name at all.
        ("https://1.2.3.4.5/", "neither an IP address nor a host name"),
        ("https://999.1.1.1/", "neither an IP address nor a host name"),
        ("https://-hooks.partner-one.com/", "hyphen"),
        ("https://ab--cd.partner-one.com/", "third and fourth"),
        ($"https://{new string('a', 64)}.partner-one.com/", "longer than 63"),
        // Public-looking names that resolve to what is not public.
        ("https://internal.partner-one.com/", "resolves to 10.0.0.5 is a private address"),
        ("https://mixed.partner-one.com/", "resolves to 127.0.0.1 is a loopback"),
        ("https://metadata.partner-one.com/", "resolves to 169.254.169.254 is a link-local"),
        ("https://nat64.partner-one.com/", "NAT64"),
        ("https://mapped.partner-one.com/", "IPv4-mapped"),
        ("https://cgnat.partner-one.com/", "carrier-grade NAT"),
    ];

    /// <summary>Accepted, with the canonical URL that is stored.</summary>
    public static readonly (string Url, string Stored)[] Accepted =
    [
        ("https://8.8.8.8/hooks", "https://8.8.8.8/hooks"),
        ("https://1.1.1.1:8443/partnerships?v=1", "https://1.1.1.1:8443/partnerships?v=1"),
        ("https://[2606:4700:4700::1111]/hooks", "https://[2606:4700:4700::1111]/hooks"),
        ("https://[2002:808:808::1]/hooks", "https://[2002:808:808::1]/hooks"),
        ("https://hooks.partner-one.com/partnerships", "https://hooks.partner-one.com/partnerships"),
        ("https://HOOKS.Partner-One.COM./partnerships?x=1", "https://hooks.partner-one.com/partnerships?x=1"),
        ("https://ｈｏｏｋｓ．ｐａｒｔｎｅｒ-ｏｎｅ．ｃｏｍ/", "https://hooks.partner-one.com/"),
        ("https://hooks。partner-one。com/", "https://hooks.partner-one.com/"),
        ("https://hooks.partner-one.com:443/a", "https://hooks.partner-one.com/a"),
        ("https://hooks.partner-one.com:8443/a", "https://hooks.partner-one.com:8443/a"),
        ("https://hooks.partner-one.com/a#fragment", "https://hooks.partner-one.com/a"),
        ("https://Bücher.partner-one.com/", "https://xn--bcher-kva.partner-one.com/"),
        ("https://xn--bcher-kva.partner-one.com/", "https://xn--bcher-kva.partner-one.com/"),
        // Names that do not resolve (yet) are accepted; delivery resolves them again and checks then.
        ("https://straße.partner-two.de/", "https://xn--strae-oqa.partner-two.de/"),
        ("https://hooks.example.com/partnerships", "https://hooks.example.com/partnerships"),
    ];
}
