package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The two kinds of certificate the cluster PKI signs, and nothing else: the self-signed cluster CA
 * and the end-entity certificate of a host or client. Their extensions are chosen so that both the
 * JDK and QEMU's GnuTLS sanity checks accept them: the CA has critical basic constraints (CA,
 * path length 0) and critical keyCertSign/cRLSign usage; an end entity has critical basic
 * constraints (not a CA), digitalSignature and keyEncipherment usage (QEMU insists on both when
 * the extension is critical, whatever the key type), serverAuth and clientAuth purposes (one
 * certificate serves both ends of a TLS connection), and its IP and DNS names as subject
 * alternative names. Serial numbers are random, positive and at most 20 bytes (RFC 5280).
 */
final class CertificateTemplates {
    /** Certificates start a little in the past so that hosts with slightly slow clocks accept them at once. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateTemplates() {}

    static X509Certificate clusterCa(String clusterName, KeyPair keys, Instant now, Duration validity) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, clusterName)
                .addRDN(BCStyle.CN, "Ferry cluster CA " + clusterName)
                .build();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot build the cluster CA certificate", e);
        }
    }

    static X509Certificate endEntity(X509Certificate ca, PrivateKey caKey, String clusterName, String name,
                                     List<InetAddress> ips, List<String> dnsNames, PublicKey publicKey,
                                     Instant notBefore, Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, clusterName)
                .addRDN(BCStyle.CN, name)
                .build();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(notBefore), Date.from(notAfter), toPrincipal(subject), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.getPublicKey()));
            List<GeneralName> names = new ArrayList<>();
            for (String dns : dnsNames) names.add(new GeneralName(GeneralName.dNSName, dns));
            for (InetAddress ip : ips) names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(builder, caKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot build the certificate for " + name, e);
        }
    }

    /** The first value of an attribute (CN, O, ...) of a certificate's subject, or null. */
    static String subjectAttribute(X509Certificate certificate, ASN1ObjectIdentifier type) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] rdns = subject.getRDNs(type);
        if (rdns.length == 0) return null;
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return IETFUtils.valueToString(value);
    }

    private static X500Principal toPrincipal(X500Name name) {
        try {
            return new X500Principal(name.getEncoded());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot encode the name " + name, e);
        }
    }

    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(159, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(Keys.SIGNATURE_ALGORITHM).build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot sign with the " + signingKey.getAlgorithm() + " key", e);
        }
    }
}
