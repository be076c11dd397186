package dev.ferry.imports.export;

import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the OVF 1.0 envelope of an exported VM in the shape VMware's tools write and read:
 * References, DiskSection (streamOptimized VMDKs), NetworkSection, and one VirtualSystem whose
 * VirtualHardwareSection has CPU, memory, one SATA (AHCI) or IDE controller for the disks and an
 * Ethernet item per NIC with its MAC. virtio devices have no VMware equivalent, so disks go on
 * SATA and virtio NICs become E1000 (listed in the export notes).
 */
final class OvfWriter {
    /** One exported disk: its file name in the OVA, size in the package, and virtual capacity. */
    record Disk(DiskSpec spec, String file, long fileBytes, long capacityBytes) {}

    private final StringBuilder x = new StringBuilder();
    private int instance = 1;

    static String write(VmSpec vm, List<Disk> disks, List<String> notes) {
        return new OvfWriter().envelope(vm, disks, notes);
    }

    private String envelope(VmSpec vm, List<Disk> disks, List<String> notes) {
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\""
                + " xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\""
                + " xmlns:vssd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData\""
                + " xmlns:vmw=\"http://www.vmware.com/schema/ovf\">\n  <References>\n");
        for (int i = 0; i < disks.size(); i++) {
            x.append("    <File ovf:id=\"file").append(i + 1).append("\" ovf:href=\"").append(esc(disks.get(i).file()))
                    .append("\" ovf:size=\"").append(disks.get(i).fileBytes()).append("\"/>\n");
        }
        x.append("  </References>\n  <DiskSection>\n    <Info>Virtual disk information</Info>\n");
        for (int i = 0; i < disks.size(); i++) {
            x.append("    <Disk ovf:capacity=\"").append(disks.get(i).capacityBytes()).append("\" ovf:capacityAllocationUnits=\"byte\" ovf:diskId=\"vmdisk")
                    .append(i + 1).append("\" ovf:fileRef=\"file").append(i + 1)
                    .append("\" ovf:format=\"http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized\"/>\n");
        }
        x.append("  </DiskSection>\n  <NetworkSection>\n    <Info>The list of logical networks</Info>\n");
        Set<String> nets = new LinkedHashSet<>();
        vm.nics().forEach(n -> nets.add(n.network()));
        for (String n : nets) x.append("    <Network ovf:name=\"").append(esc(n)).append("\"><Description>").append(esc(n)).append("</Description></Network>\n");
        x.append("  </NetworkSection>\n  <VirtualSystem ovf:id=\"").append(esc(vm.name())).append("\">\n    <Info>A virtual machine exported by Ferry</Info>\n");
        x.append("    <Name>").append(esc(vm.name())).append("</Name>\n");
        x.append("    <OperatingSystemSection ovf:id=\"1\"><Info>The guest OS</Info><Description>Other</Description></OperatingSystemSection>\n");
        hardware(vm, disks, notes);
        x.append("  </VirtualSystem>\n</Envelope>\n");
        return x.toString();
    }

    private void hardware(VmSpec vm, List<Disk> disks, List<String> notes) {
        x.append("    <VirtualHardwareSection>\n      <Info>Virtual hardware requirements</Info>\n");
        x.append("      <System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID>"
                + "<vssd:VirtualSystemIdentifier>").append(esc(vm.name())).append("</vssd:VirtualSystemIdentifier>"
                + "<vssd:VirtualSystemType>vmx-14</vssd:VirtualSystemType></System>\n");
        item(3, vm.vcpus() + " virtual CPU(s)", "<rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:VirtualQuantity>" + vm.vcpus() + "</rasd:VirtualQuantity>");
        item(4, vm.memoryMiB() + "MB of memory", "<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:VirtualQuantity>" + vm.memoryMiB() + "</rasd:VirtualQuantity>");
        boolean ide = !disks.isEmpty() && disks.stream().allMatch(d -> d.spec().busOrDefault() == DiskBus.IDE);
        int ctrl = ide ? item(5, "IDE Controller 0", "<rasd:Address>0</rasd:Address>")
                : item(20, "SATA Controller 0", "<rasd:Address>0</rasd:Address><rasd:ResourceSubType>vmware.sata.ahci</rasd:ResourceSubType>");
        for (int i = 0; i < disks.size(); i++) {
            DiskBus b = disks.get(i).spec().busOrDefault();
            if (b != DiskBus.SATA && b != DiskBus.IDE) notes.add(disks.get(i).spec().id() + ": " + b.json() + " has no VMware equivalent; exported on " + (ide ? "IDE" : "SATA"));
            item(17, "Hard Disk " + (i + 1), "<rasd:AddressOnParent>" + i + "</rasd:AddressOnParent><rasd:HostResource>ovf:/disk/vmdisk" + (i + 1)
                    + "</rasd:HostResource><rasd:Parent>" + ctrl + "</rasd:Parent>");
        }
        for (int i = 0; i < vm.nics().size(); i++) {
            NicSpec n = vm.nics().get(i);
            String model = n.model() == NicModel.E1000E ? "E1000e" : "E1000";
            if (n.model() == null || n.model() == NicModel.VIRTIO) notes.add("nic" + i + ": virtio has no VMware equivalent; exported as E1000");
            item(10, "Network adapter " + (i + 1), (n.mac() == null ? "" : "<rasd:Address>" + n.mac() + "</rasd:Address>")
                    + "<rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>" + esc(n.network())
                    + "</rasd:Connection><rasd:ResourceSubType>" + model + "</rasd:ResourceSubType>");
        }
        if (vm.firmware() == Firmware.UEFI) x.append("      <vmw:Config ovf:required=\"false\" vmw:key=\"firmware\" vmw:value=\"efi\"/>\n");
        x.append("    </VirtualHardwareSection>\n");
    }

    private int item(int type, String name, String body) {
        int id = instance++;
        x.append("      <Item><rasd:ElementName>").append(esc(name)).append("</rasd:ElementName><rasd:InstanceID>").append(id)
                .append("</rasd:InstanceID><rasd:ResourceType>").append(type).append("</rasd:ResourceType>").append(body).append("</Item>\n");
        return id;
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
