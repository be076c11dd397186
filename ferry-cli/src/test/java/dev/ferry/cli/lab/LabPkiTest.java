package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.pki.TlsIdentity;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabPkiTest {
    @TempDir
    Path tmp;

    @Test
    void hostCertificatesNameTheirApiAndMigrationAddresses() throws Exception {
        LabLayout layout = LabLayout.create(tmp.resolve("lab"));
        AddressPlan plan = AddressPlan.netns();
        LabPki.create(layout, plan);
        assertThat(ips(TlsIdentity.load(layout.identity("host-a")).certificate())).containsExactlyInAnyOrder("10.213.1.2", "10.213.0.1");
        assertThat(ips(TlsIdentity.load(layout.identity("host-b")).certificate())).containsExactlyInAnyOrder("10.213.2.2", "10.213.0.2");
        assertThat(ips(TlsIdentity.load(layout.identity("controller")).certificate())).containsExactly("127.0.0.1");
        TlsIdentity client = TlsIdentity.load(layout.clientIdentity());
        assertThat(client.commonName()).isEqualTo("demo-client");
        assertThat(client.caCertificate()).isEqualTo(TlsIdentity.load(layout.identity("host-a")).caCertificate());
    }

    private static List<String> ips(X509Certificate c) throws Exception {
        List<String> ips = new ArrayList<>();
        for (List<?> san : c.getSubjectAlternativeNames()) if ((Integer) san.get(0) == 7) ips.add((String) san.get(1));
        return ips;
    }
}
