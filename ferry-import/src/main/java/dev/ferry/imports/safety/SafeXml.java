package dev.ferry.imports.safety;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The one way Ferry parses foreign XML (OVF envelopes, .vbox files, Hyper-V configurations). Those
 * files come from whoever hands us a VM, so the parser refuses any DOCTYPE (which also rules out
 * entity expansion bombs and XXE: no external entity, DTD or schema is ever fetched), reads at most
 * a bounded number of bytes, and turns every parse problem into one {@code INVALID_SOURCE} error
 * naming the file and line. Small DOM helpers that match on local names live here too, because
 * real products disagree on namespace prefixes.
 */
public final class SafeXml {
    public static final int MAX_XML_BYTES = 8 << 20;

    private SafeXml() {}

    public static Document parse(Path file) {
        return parse(BoundedFiles.read(file, MAX_XML_BYTES, "XML file"), file.getFileName().toString());
    }

    public static Document parse(byte[] bytes, String name) {
        try {
            DocumentBuilder b = factory().newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException { throw e; }
            });
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            return b.parse(new ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, name + " is not well-formed or safe XML (line " + e.getLineNumber()
                    + "): " + e.getMessage());
        } catch (SAXException | IOException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, name + " is not well-formed or safe XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new FerryException(ErrorCode.INTERNAL, "the XML parser cannot be made safe: " + e.getMessage());
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    /** Child elements of {@code parent} with local name {@code name} (any namespace). */
    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) return out;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name.equals(local(e)))) out.add(e);
        }
        return out;
    }

    public static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    /** All descendants of {@code root} with local name {@code name}, in document order. */
    public static List<Element> descendants(Element root, String name) {
        List<Element> out = new ArrayList<>();
        if (root == null) return out;
        for (Element c : children(root, null)) {
            if (name.equals(local(c))) out.add(c);
            out.addAll(descendants(c, name));
        }
        return out;
    }

    /** Trimmed text of the first child named {@code name}, or null. */
    public static String text(Element parent, String name) {
        Element c = child(parent, name);
        if (c == null) return null;
        String t = c.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    /** An attribute by local name, whatever its namespace prefix; null when absent or empty. */
    public static String attr(Element e, String name) {
        if (e == null) return null;
        var attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Node a = attrs.item(i);
            String ln = a.getLocalName() != null ? a.getLocalName() : a.getNodeName();
            if (ln.equals(name)) return a.getNodeValue().isEmpty() ? null : a.getNodeValue();
        }
        return null;
    }

    public static String local(Node n) { return n.getLocalName() != null ? n.getLocalName() : n.getNodeName(); }
}
