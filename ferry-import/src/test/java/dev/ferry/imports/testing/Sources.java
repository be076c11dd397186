package dev.ferry.imports.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Hand-written VM descriptions in the style the real products write them: a VMware Workstation
 * {@code .vmx}, an ovftool-style OVF envelope with its manifest (and the OVA tar of both), a
 * VirtualBox 6/7 {@code .vbox}, and a Hyper-V 2012 R2 export's {@code Virtual Machines/GUID.xml}.
 * Parameters choose what the tests vary (OS type, controller, disk file); the rest is typical
 * boilerplate, including settings Ferry does not map, which must show up in the report.
 */
public final class Sources {
    private Sources() {}

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Workstation VMX: one disk {@code diskFile} on {@code bus} (e.g. {@code sata0:0}, {@code scsi0:0}), a CD, two NICs, sound and USB. */
    public static Path vmx(Path dir, String name, String guestOs, String bus, String diskFile, String scsiDev, boolean efi) {
        String ctrl = bus.substring(0, bus.indexOf(':'));
        return write(dir.resolve(name + ".vmx"), """
                .encoding = "UTF-8"
                config.version = "8"
                virtualHW.version = "19"
                displayName = "%s"
                guestOS = "%s"
                %s
                numvcpus = "2"
                cpuid.coresPerSocket = "2"
                memsize = "256"
                pciBridge0.present = "TRUE"
                vmci0.present = "TRUE"
                %s.present = "TRUE"
                %s
                %s.present = "TRUE"
                %s.fileName = "%s"
                ide1:0.present = "TRUE"
                ide1:0.deviceType = "cdrom-image"
                ide1:0.fileName = "/vmfs/volumes/iso/ubuntu-22.04.iso"
                ethernet0.present = "TRUE"
                ethernet0.virtualDev = "vmxnet3"
                ethernet0.networkName = "VM Network"
                ethernet0.addressType = "static"
                ethernet0.address = "00:50:56:3F:01:02"
                ethernet1.present = "TRUE"
                ethernet1.virtualDev = "e1000e"
                ethernet1.connectionType = "nat"
                ethernet1.addressType = "generated"
                ethernet1.generatedAddress = "00:0c:29:ab:cd:ef"
                ethernet1.generatedAddressOffset = "0"
                sound.present = "TRUE"
                sound.virtualDev = "hdaudio"
                usb.present = "TRUE"
                tools.syncTime = "FALSE"
                uuid.bios = "56 4d 12 34 56 78 9a bc-de f0 12 34 56 78 9a bc"
                """.formatted(name, guestOs, efi ? "firmware = \"efi\"\nuefi.secureBoot.enabled = \"TRUE\"" : "", ctrl,
                scsiDev == null ? "" : ctrl + ".virtualDev = \"" + scsiDev + "\"", bus, bus, diskFile));
    }

    /** An ovftool-style OVF: one disk on a controller item ({@code controllerItem} is its ResourceType/SubType XML), one NIC. */
    public static Path ovf(Path dir, String name, String osDescription, String diskFile, long capacity, String controllerItem, boolean efi) {
        return write(dir.resolve(name + ".ovf"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope vmw:buildId="build-20800274" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <References>
                    <File ovf:href="%s" ovf:id="file1" ovf:size="%d"/>
                  </References>
                  <DiskSection>
                    <Info>Virtual disk information</Info>
                    <Disk ovf:capacity="%d" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized" ovf:populatedSize="1048576"/>
                  </DiskSection>
                  <NetworkSection>
                    <Info>The list of logical networks</Info>
                    <Network ovf:name="VM Network">
                      <Description>The VM Network network</Description>
                    </Network>
                  </NetworkSection>
                  <VirtualSystem ovf:id="%s">
                    <Info>A virtual machine</Info>
                    <Name>%s</Name>
                    <OperatingSystemSection ovf:id="94" vmw:osType="ubuntu64Guest">
                      <Info>The kind of installed guest operating system</Info>
                      <Description>%s</Description>
                    </OperatingSystemSection>
                    <VirtualHardwareSection>
                      <Info>Virtual hardware requirements</Info>
                      <System>
                        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
                        <vssd:InstanceID>0</vssd:InstanceID>
                        <vssd:VirtualSystemIdentifier>%s</vssd:VirtualSystemIdentifier>
                        <vssd:VirtualSystemType>vmx-19</vssd:VirtualSystemType>
                      </System>
                      <Item>
                        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
                        <rasd:Description>Number of Virtual CPUs</rasd:Description>
                        <rasd:ElementName>2 virtual CPU(s)</rasd:ElementName>
                        <rasd:InstanceID>1</rasd:InstanceID>
                        <rasd:ResourceType>3</rasd:ResourceType>
                        <rasd:VirtualQuantity>2</rasd:VirtualQuantity>
                        <vmw:CoresPerSocket ovf:required="false">1</vmw:CoresPerSocket>
                      </Item>
                      <Item>
                        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
                        <rasd:Description>Memory Size</rasd:Description>
                        <rasd:ElementName>192MB of memory</rasd:ElementName>
                        <rasd:InstanceID>2</rasd:InstanceID>
                        <rasd:ResourceType>4</rasd:ResourceType>
                        <rasd:VirtualQuantity>192</rasd:VirtualQuantity>
                      </Item>
                      <Item>
                        <rasd:Address>0</rasd:Address>
                        <rasd:Description>Storage controller</rasd:Description>
                        <rasd:ElementName>Controller 0</rasd:ElementName>
                        <rasd:InstanceID>3</rasd:InstanceID>
                        %s
                      </Item>
                      <Item ovf:required="false">
                        <rasd:AutomaticAllocation>false</rasd:AutomaticAllocation>
                        <rasd:ElementName>CD/DVD drive 1</rasd:ElementName>
                        <rasd:InstanceID>4</rasd:InstanceID>
                        <rasd:Parent>3</rasd:Parent>
                        <rasd:ResourceSubType>vmware.cdrom.atapi</rasd:ResourceSubType>
                        <rasd:ResourceType>15</rasd:ResourceType>
                      </Item>
                      <Item>
                        <rasd:AddressOnParent>0</rasd:AddressOnParent>
                        <rasd:ElementName>Hard Disk 1</rasd:ElementName>
                        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
                        <rasd:InstanceID>5</rasd:InstanceID>
                        <rasd:Parent>3</rasd:Parent>
                        <rasd:ResourceType>17</rasd:ResourceType>
                      </Item>
                      <Item>
                        <rasd:Address>00:50:56:aa:bb:01</rasd:Address>
                        <rasd:AddressOnParent>7</rasd:AddressOnParent>
                        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
                        <rasd:Connection>VM Network</rasd:Connection>
                        <rasd:ElementName>Network adapter 1</rasd:ElementName>
                        <rasd:InstanceID>6</rasd:InstanceID>
                        <rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>
                        <rasd:ResourceType>10</rasd:ResourceType>
                      </Item>
                      <Item ovf:required="false">
                        <rasd:AutomaticAllocation>false</rasd:AutomaticAllocation>
                        <rasd:ElementName>Video card</rasd:ElementName>
                        <rasd:InstanceID>7</rasd:InstanceID>
                        <rasd:ResourceType>24</rasd:ResourceType>
                      </Item>
                      %s
                      <vmw:Config ovf:required="false" vmw:key="tools.syncTimeWithHost" vmw:value="false"/>
                    </VirtualHardwareSection>
                  </VirtualSystem>
                </Envelope>
                """.formatted(diskFile, size(dir.resolve(diskFile)), capacity, name, name, osDescription, name, controllerItem,
                efi ? "<vmw:Config ovf:required=\"false\" vmw:key=\"firmware\" vmw:value=\"efi\"/>" : ""));
    }

    public static final String SATA = "<rasd:ResourceSubType>vmware.sata.ahci</rasd:ResourceSubType>\n<rasd:ResourceType>20</rasd:ResourceType>";
    public static final String LSILOGIC = "<rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>\n<rasd:ResourceType>6</rasd:ResourceType>";
    public static final String NVME = "<rasd:ResourceSubType>vmware.nvme.controller</rasd:ResourceSubType>\n<rasd:ResourceType>20</rasd:ResourceType>";

    /** {@code NAME.mf} over {@code files} (in {@code dir}) with {@code alg} ({@code SHA1} or {@code SHA256}), the ovftool format. */
    public static Path manifest(Path dir, String name, String alg, String... files) {
        StringBuilder sb = new StringBuilder();
        for (String f : files) sb.append(alg).append('(').append(f).append(")= ").append(digest(dir.resolve(f), alg)).append('\n');
        return write(dir.resolve(name + ".mf"), sb.toString());
    }

    /** An OVA of {@code files} (OVF first, as the standard orders them) made with GNU tar in ustar format. */
    public static Path ova(Path out, Path dir, String... files) {
        List<String> cmd = new ArrayList<>(List.of("tar", "--format=ustar", "-cf", out.toString(), "-C", dir.toString()));
        cmd.addAll(List.of(files));
        Img.run(cmd);
        return out;
    }

    /** A VirtualBox 6/7 machine file: one disk on {@code ctrlType} (AHCI, PIIX4, LsiLogic, NVMe), a DVD, one NAT and one bridged NIC. */
    public static Path vbox(Path dir, String name, String osType, String diskFile, String format, String ctrlType, boolean efi) {
        return write(dir.resolve(name + ".vbox"), """
                <?xml version="1.0"?>
                <!--
                ** DO NOT EDIT THIS FILE.
                ** If you make changes to this file while any VirtualBox related application
                ** is running, your changes will be overwritten later, without taking effect.
                ** Use VBoxManage or the VirtualBox Manager GUI to make changes.
                -->
                <VirtualBox xmlns="http://www.virtualbox.org/" version="1.19-linux">
                  <Machine uuid="{5c4b6a5e-8a5f-4a8b-9e0e-1a2b3c4d5e6f}" name="%s" OSType="%s" snapshotFolder="Snapshots" lastStateChange="2026-11-20T10:12:44Z">
                    <MediaRegistry>
                      <HardDisks>
                        <HardDisk uuid="{0b2a3c4d-1111-2222-3333-444455556666}" location="%s" format="%s" type="Normal"/>
                      </HardDisks>
                    </MediaRegistry>
                    <Hardware>
                      <CPU count="2">
                        <PAE enabled="false"/>
                        <LongMode enabled="true"/>
                        <HardwareVirtExLargePages enabled="false"/>
                      </CPU>
                      <Memory RAMSize="160"/>
                      %s
                      <Display controller="VMSVGA" VRAMSize="16"/>
                      <BIOS>
                        <IOAPIC enabled="true"/>
                        <SmbiosUuidLittleEndian enabled="true"/>
                      </BIOS>
                      <Network>
                        <Adapter slot="0" enabled="true" MACAddress="080027A1B2C3" type="82540EM">
                          <NAT/>
                        </Adapter>
                        <Adapter slot="1" enabled="true" MACAddress="080027D4E5F6" type="virtio">
                          <DisabledModes><NAT/></DisabledModes>
                          <BridgedInterface name="eth0"/>
                        </Adapter>
                        <Adapter slot="2" enabled="false" MACAddress="080027000003" type="Am79C973"/>
                      </Network>
                      <AudioAdapter codec="AD1980" driver="Pulse" enabled="true" enabledIn="false"/>
                      <Clipboard/>
                    </Hardware>
                    <StorageControllers>
                      <StorageController name="Controller" type="%s" PortCount="2" useHostIOCache="false" Bootable="true">
                        <AttachedDevice type="HardDisk" hotpluggable="false" port="0" device="0">
                          <Image uuid="{0b2a3c4d-1111-2222-3333-444455556666}"/>
                        </AttachedDevice>
                        <AttachedDevice passthrough="false" type="DVD" hotpluggable="false" port="1" device="0"/>
                      </StorageController>
                    </StorageControllers>
                  </Machine>
                </VirtualBox>
                """.formatted(name, osType, diskFile, format, efi ? "<Firmware type=\"EFI\"/>" : "", ctrlType));
    }

    /** A Hyper-V 2012 R2 export: {@code root/Virtual Machines/GUID.xml} and the disk expected in {@code root/Virtual Hard Disks/}. */
    public static Path hyperv(Path root, String name, int generation, String diskFile, boolean scsi) {
        String controller = scsi ? "_d422512d-2bf2-4752-809d-7b82b5fcb1b4_" : "_83f8638b-8dca-4152-9eda-2ca8b33039b4_";
        return write(root.resolve("Virtual Machines/3C3E5B4A-6F1D-4C36-8E4B-2C5E0D1F7A90.xml"), """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <configuration>
                  <properties>
                    <creation_time type="bytes">gZ0rG3hS0gE=</creation_time>
                    <global_id type="string">3C3E5B4A-6F1D-4C36-8E4B-2C5E0D1F7A90</global_id>
                    <name type="string">%s</name>
                    <notes type="string"></notes>
                    <subtype type="integer">%d</subtype>
                    <type_id type="string">Virtual Machines</type_id>
                    <version type="integer">1280</version>
                  </properties>
                  <settings>
                    <processors>
                      <count type="integer">2</count>
                      <limit type="integer">100000</limit>
                    </processors>
                    <memory>
                      <bank>
                        <dynamic_memory_enabled type="bool">True</dynamic_memory_enabled>
                        <limit type="integer">1048576</limit>
                        <reservation type="integer">128</reservation>
                        <size type="integer">192</size>
                      </bank>
                    </memory>
                  </settings>
                  <secure_boot_enabled type="bool">%s</secure_boot_enabled>
                  <%s>
                    <controller0>
                      <drive0>
                        <pathname type="string">C:\\Hyper-V\\%s\\Virtual Hard Disks\\%s</pathname>
                        <type type="string">VHD</type>
                      </drive0>
                    </controller0>
                    <controller1>
                      <drive0>
                        <pathname type="string">C:\\ISO\\setup.iso</pathname>
                        <type type="string">ISO</type>
                      </drive0>
                    </controller1>
                  </%s>
                  <_8e3a359f-559a-4b6a-98a9-1690a6100ed7_>
                    <ChannelInstanceGuid type="string">{9b1a34f1-5e1b-4d9e-a2cb-0a1b2c3d4e5f}</ChannelInstanceGuid>
                    <Connection>
                      <AltPortName type="string">Network Adapter</AltPortName>
                      <AltSwitchName type="string">External Switch</AltSwitchName>
                    </Connection>
                    <address type="string">00155D010203</address>
                    <isStatic type="bool">True</isStatic>
                  </_8e3a359f-559a-4b6a-98a9-1690a6100ed7_>
                  <_2b9a4d7a-73d9-4a25-9b2b-8b6d7c1e0f11_>
                    <com1><connection type="string"></connection></com1>
                  </_2b9a4d7a-73d9-4a25-9b2b-8b6d7c1e0f11_>
                </configuration>
                """.formatted(name, generation - 1, generation == 2 ? "True" : "False", controller, name, diskFile, controller));
    }

    static String digest(Path f, String alg) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance(alg.equals("SHA1") ? "SHA-1" : "SHA-256");
            byte[] b = new byte[1 << 16];
            for (int n; (n = in.read(b)) > 0; ) md.update(b, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
