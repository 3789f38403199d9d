


n0NoOp


n1NoOp


n2NoOp


n3NoOp


n4NoOp


n5NoOp


n6NoOp


n7NoOp


n8NoOp


n9NoOp

n10NoOp

n11NoOp

n12NoOp

n13NoOp

n14NoOp

n15NoOp

n16NoOp

n17NoOp

n18NoOp

n19NoOp

n20NoOp

n21NoOp

n22NoOp

n23NoOp

n24NoOp

n25NoOp

n26NoOp

n27NoOp

n28NoOp

n29NoOp

n30NoOp

n31NoOp

n32NoOp

n33NoOp

n34NoOp

n35NoOp

n36NoOp

n37NoOp

n38NoOp

n39NoOp

n40NoOp

n41NoOp

n42NoOp

n43NoOp

n44NoOp

n45NoOp

n46NoOp

n47NoOp

n48NoOp

n49NoOp

n50NoOp

n51NoOp

n52NoOp

n53NoOp

n54NoOp

n55NoOp

n56NoOp

n57NoOp

n58NoOp

n59NoOp

n60NoOp

n61NoOp

n62NoOp

n63NoOp

n64NoOp

n65NoOp

n66NoOp

n67NoOp

n68NoOp

n69NoOp

n70NoOp

n71NoOp

n72NoOp

n73NoOp

n74NoOp

n75NoOp

n76NoOp

n77NoOp

n78NoOp

n79NoOp

n80NoOp

n81NoOp

n82NoOp

n83NoOp

n84NoOp

n85NoOp

n86NoOp

n87NoOp

n88NoOp

n89NoOp

n90NoOp

n91NoOp

n92NoOp

n93NoOp

n94NoOp

n95NoOp

n96NoOp

n97NoOp

n98NoOp

n99NoOp

n100NoOp

n101NoOp

n102NoOp

n103NoOp

n104NoOp

n105NoOp

n106NoOp

n107NoOp

n108NoOp

n109NoOp

n110NoOp

n111NoOp

n112NoOp

n113NoOp

n114NoOp

n115NoOp

n116NoOp

n117NoOp

n118NoOp

n119NoOp

n120NoOp

n121NoOp

n122NoOp

n123NoOp

n124NoOp

n125NoOp

n126NoOp

n127NoOp

n128NoOp

n129NoOp

n130NoOp

n131NoOp

n132NoOp

n133NoOp

n134NoOp

n135NoOp

n136NoOp

n137NoOp

n138NoOp

n139NoOp

n140NoOp

n141NoOp

n142NoOp

n143NoOp

n144NoOp

n145NoOp

n146NoOp

n147NoOp

n148NoOp

n149NoOp

n150NoOp

n151NoOp

n152NoOp

n153NoOp

n154NoOp

n155NoOp

n156NoOp

n157NoOp

n158NoOp

n159NoOp

n160NoOp

n161NoOp

n162NoOp

n163NoOp

n164NoOp

n165NoOp

n166NoOp

n167NoOp

n168NoOp

n169NoOp

n170NoOp

n171NoOp

n172NoOp

n173NoOp

n174NoOp

n175NoOp

n176NoOp

n177NoOp

n178NoOp

n179NoOp

n180NoOp

n181NoOp

n182NoOp

n183NoOp

n184NoOp

n185NoOp

n186NoOp

n187NoOp

n188NoOp

n189NoOp

n190NoOp

n191NoOp

n192NoOp

n193NoOp

n194NoOp

n195NoOp

n196NoOp

n197NoOp

n198NoOp

n199NoOp

n200NoOp

n201NoOp

n202NoOp

n203NoOp

n204NoOp

n205NoOp

n206NoOp

n207NoOp

n208NoOp

n209NoOp

n210NoOp

n211NoOp

n212NoOp

n213NoOp

n214NoOp

n215NoOp

n216NoOp

n217NoOp

n218NoOp

n219NoOp

n220NoOp

n221NoOp

n222NoOp

n223NoOp

n224NoOp

n225NoOp

n226NoOp

n227NoOp

n228NoOp

n229NoOp

n230NoOp

n231NoOp

n232NoOp

n233NoOp

n234NoOp

n235NoOp

n236NoOp

n237NoOp

n238NoOp

n239NoOp

n240NoOp

n241NoOp

n242NoOp

n243NoOp

n244NoOp

n245NoOp

n246NoOp

n247NoOp

n248NoOp

n249NoOp

n250NoOp

n251NoOp

n252NoOp

n253NoOp

n254NoOp

n255NoOp

n256NoOp

n257NoOp

n258NoOp

n259NoOp

n260NoOp

n261NoOp

n262NoOp

n263NoOp

n264NoOp

n265NoOp

n266NoOp

n267NoOp

n268NoOp

n269NoOp

n270NoOp

n271NoOp

n272NoOp

n273NoOp

n274NoOp

n275NoOp

n276NoOp

n277NoOp

n278NoOp

n279NoOp

n280NoOp

n281NoOp

n282NoOp

n283NoOp

n284NoOp

n285NoOp

n286NoOp

n287NoOp

n288NoOp

n289NoOp

n290NoOp

n291NoOp

n292NoOp

n293NoOp

n294NoOp

n295NoOp

n296NoOp

n297NoOp

n298NoOp

n299NoOp

n300NoOp

n301NoOp

n302NoOp

n303NoOp

n304NoOp

n305NoOp

n306NoOp

n307NoOp

n308NoOp

n309NoOp

n310NoOp

n311NoOp

n312NoOp

n313NoOp

n314NoOp

n315NoOp

n316NoOp

n317NoOp

n318NoOp

n319NoOp

n320NoOp

n321NoOp

n322NoOp

n323NoOp

n324NoOp

n325NoOp

n326NoOp

n327NoOp

n328NoOp

n329NoOp

n330NoOp

n331NoOp

n332NoOp

n333NoOp

n334NoOp

n335NoOp

n336NoOp

n337NoOp

n338NoOp

n339NoOp

n340NoOp

n341NoOp

n342NoOp

n343NoOp

n344NoOp

n345NoOp

n346NoOp

n347NoOp

n348NoOp

n349NoOp

n350NoOp

n351NoOp

n352NoOp

n353NoOp

n354NoOp

n355NoOp

n356NoOp

n357NoOp

n358NoOp

n359NoOp

n360NoOp

n361NoOp

n362NoOp

n363NoOp

n364NoOp

n365NoOp

n366NoOp

n367NoOp

n368NoOp

n369NoOp

n370NoOp

n371NoOp

n372NoOp

n373NoOp

n374NoOp

n375NoOp

n376NoOp

n377NoOp

n378NoOp

n379NoOp

n380NoOp

n381NoOp

n382NoOp

n383NoOp

n384NoOp

n385NoOp

n386NoOp

n387NoOp

n388NoOp

n389NoOp

n390NoOp

n391NoOp

n392NoOp

n393NoOp

n394NoOp

n395NoOp

n396NoOp

n397NoOp

n398NoOp

n399NoOp

n400NoOp

n401NoOp

n402NoOp

n403NoOp

n404NoOp

n405NoOp

n406NoOp

n407NoOp

n408NoOp

n409NoOp

n410NoOp

n411NoOp

n412NoOp

n413NoOp

n414NoOp

n415NoOp

n416NoOp

n417NoOp

n418NoOp

n419NoOp

n420NoOp

n421NoOp

n422NoOp

n423NoOp

n424NoOp

n425NoOp

n426NoOp

n427NoOp

n428NoOp

n429NoOp

n430NoOp

n431NoOp

n432NoOp

n433NoOp

n434NoOp

n435NoOp

n436NoOp

n437NoOp

n438NoOp

n439NoOp

n440NoOp

n441NoOp

n442NoOp

n443NoOp

n444NoOp

n445NoOp

n446NoOp

n447NoOp

n448NoOp

n449NoOp

n450NoOp

n451NoOp

n452NoOp

n453NoOp

n454NoOp

n455NoOp

n456NoOp

n457NoOp

n458NoOp

n459NoOp

n460NoOp

n461NoOp

n462NoOp

n463NoOp

n464NoOp

n465NoOp

n466NoOp

n467NoOp

n468NoOp

n469NoOp

n470NoOp

n471NoOp

n472NoOp

n473NoOp

n474NoOp

n475NoOp

n476NoOp

n477NoOp

n478NoOp

n479NoOp

n480NoOp

n481NoOp

n482NoOp

n483NoOp

n484NoOp

n485NoOp

n486NoOp

n487NoOp

n488NoOp

n489NoOp

n490NoOp

n491NoOp

n492NoOp

n493NoOp

n494NoOp

n495NoOp

n496NoOp

n497NoOp

n498NoOp

n499NoOp

n500NoOp

n501NoOp

n502NoOp

n503NoOp

n504NoOp

n505NoOp

n506NoOp

n507NoOp

n508NoOp

n509NoOp

n510NoOp

n511NoOp

n512NoOp

n513NoOp

n514NoOp

n515NoOp

n516NoOp

n517NoOp

n518NoOp

n519NoOp

n520NoOp

n521NoOp

n522NoOp

n523NoOp

n524NoOp

n525NoOp

n526NoOp

n527NoOp

n528NoOp

n529NoOp

n530NoOp

n531NoOp

n532NoOp

n533NoOp

n534NoOp

n535NoOp

n536NoOp

n537NoOp

n538NoOp

n539NoOp

n540NoOp

n541NoOp

n542NoOp

n543NoOp

n544NoOp

n545NoOp

n546NoOp

n547NoOp

n548NoOp

n549NoOp

n550NoOp

n551NoOp

n552NoOp

n553NoOp

n554NoOp

n555NoOp

n556NoOp

n557NoOp

n558NoOp

n559NoOp

n560NoOp

n561NoOp

n562NoOp

n563NoOp

n564NoOp

n565NoOp

n566NoOp

n567NoOp

n568NoOp

n569NoOp

n570NoOp

n571NoOp

n572NoOp

n573NoOp

n574NoOp

n575NoOp

n576NoOp

n577NoOp

n578NoOp

n579NoOp

n580NoOp

n581NoOp

n582NoOp

n583NoOp

n584NoOp

n585NoOp

n586NoOp

n587NoOp

n588NoOp

n589NoOp

n590NoOp

n591NoOp

n592NoOp

n593NoOp

n594NoOp

n595NoOp

n596NoOp

n597NoOp

n598NoOp

n599NoOp

n600NoOp

n601NoOp

n602NoOp

n603NoOp

n604NoOp

n605NoOp

n606NoOp

n607NoOp

n608NoOp

n609NoOp

n610NoOp

n611NoOp

n612NoOp

n613NoOp

n614NoOp

n615NoOp

n616NoOp

n617NoOp

n618NoOp

n619NoOp

n620NoOp

n621NoOp

n622NoOp

n623NoOp

n624NoOp

n625NoOp

n626NoOp

n627NoOp

n628NoOp

n629NoOp

n630NoOp

n631NoOp

n632NoOp

n633NoOp

n634NoOp

n635NoOp

n636NoOp

n637NoOp

n638NoOp

n639NoOp

n640NoOp

n641NoOp

n642NoOp

n643NoOp

n644NoOp

n645NoOp

n646NoOp

n647NoOp

n648NoOp

n649NoOp

n650NoOp

n651NoOp

n652NoOp

n653NoOp

n654NoOp

n655NoOp

n656NoOp

n657NoOp

n658NoOp

n659NoOp

n660NoOp

n661NoOp

n662NoOp

n663NoOp

n664NoOp

n665NoOp

n666NoOp

n667NoOp

n668NoOp

n669NoOp

n670NoOp

n671NoOp

n672NoOp

n673NoOp

n674NoOp

n675NoOp

n676NoOp

n677NoOp

n678NoOp

n679NoOp

n680NoOp

n681NoOp

n682NoOp

n683NoOp

n684NoOp

n685NoOp

n686NoOp

n687NoOp

n688NoOp

n689NoOp

n690NoOp

n691NoOp

n692NoOp

n693NoOp

n694NoOp

n695NoOp

n696NoOp

n697NoOp

n698NoOp

n699NoOp

n700NoOp

n701NoOp

n702NoOp

n703NoOp

n704NoOp

n705NoOp

n706NoOp

n707NoOp

n708NoOp

n709NoOp

n710NoOp

n711NoOp

n712NoOp

n713NoOp

n714NoOp

n715NoOp

n716NoOp

n717NoOp

n718NoOp

n719NoOp

n720NoOp

n721NoOp

n722NoOp

n723NoOp

n724NoOp

n725NoOp

n726NoOp

n727NoOp

n728NoOp

n729NoOp

n730NoOp

n731NoOp

n732NoOp

n733NoOp

n734NoOp

n735NoOp

n736NoOp

n737NoOp

n738NoOp

n739NoOp

n740NoOp

n741NoOp

n742NoOp

n743NoOp

n744NoOp

n745NoOp

n746NoOp

n747NoOp

n748NoOp

n749NoOp

n750NoOp

n751NoOp

n752NoOp

n753NoOp

n754NoOp

n755NoOp

n756NoOp

n757NoOp

n758NoOp

n759NoOp

n760NoOp

n761NoOp

n762NoOp

n763NoOp

n764NoOp

n765NoOp

n766NoOp

n767NoOp

n768NoOp

n769NoOp

n770NoOp

n771NoOp

n772NoOp

n773NoOp

n774NoOp

n775NoOp

n776NoOp

n777NoOp

n778NoOp

n779NoOp

n780NoOp

n781NoOp

n782NoOp

n783NoOp

n784NoOp

n785NoOp

n786NoOp

n787NoOp

n788NoOp

n789NoOp

n790NoOp

n791NoOp

n792NoOp

n793NoOp

n794NoOp

n795NoOp

n796NoOp

n797NoOp

n798NoOp

n799NoOp

n800NoOp

n801NoOp

n802NoOp

n803NoOp

n804NoOp

n805NoOp

n806NoOp

n807NoOp

n808NoOp

n809NoOp

n810NoOp

n811NoOp

n812NoOp

n813NoOp

n814NoOp

n815NoOp

n816NoOp

n817NoOp

n818NoOp

n819NoOp

n820NoOp

n821NoOp

n822NoOp

n823NoOp

n824NoOp

n825NoOp

n826NoOp

n827NoOp

n828NoOp

n829NoOp

n830NoOp

n831NoOp

n832NoOp

n833NoOp

n834NoOp

n835NoOp

n836NoOp

n837NoOp

n838NoOp

n839NoOp

n840NoOp

n841NoOp

n842NoOp

n843NoOp

n844NoOp

n845NoOp

n846NoOp

n847NoOp

n848NoOp

n849NoOp

n850NoOp

n851NoOp

n852NoOp

n853NoOp

n854NoOp

n855NoOp

n856NoOp

n857NoOp

n858NoOp

n859NoOp

n860NoOp

n861NoOp

n862NoOp

n863NoOp

n864NoOp

n865NoOp

n866NoOp

n867NoOp

n868NoOp

n869NoOp

n870NoOp

n871NoOp

n872NoOp

n873NoOp

n874NoOp

n875NoOp

n876NoOp

n877NoOp

n878NoOp

n879NoOp

n880NoOp

n881NoOp

n882NoOp

n883NoOp

n884NoOp

n885NoOp

n886NoOp

n887NoOp

n888NoOp

n889NoOp

n890NoOp

n891NoOp

n892NoOp

n893NoOp

n894NoOp

n895NoOp

n896NoOp

n897NoOp

n898NoOp

n899NoOp

n900NoOp

n901NoOp

n902NoOp

n903NoOp

n904NoOp

n905NoOp

n906NoOp

n907NoOp

n908NoOp

n909NoOp

n910NoOp

n911NoOp

n912NoOp

n913NoOp

n914NoOp

n915NoOp

n916NoOp

n917NoOp

n918NoOp

n919NoOp

n920NoOp

n921NoOp

n922NoOp

n923NoOp

n924NoOp

n925NoOp

n926NoOp

n927NoOp

n928NoOp

n929NoOp

n930NoOp

n931NoOp

n932NoOp

n933NoOp

n934NoOp

n935NoOp

n936NoOp

n937NoOp

n938NoOp

n939NoOp

n940NoOp

n941NoOp

n942NoOp

n943NoOp

n944NoOp

n945NoOp

n946NoOp

n947NoOp

n948NoOp

n949NoOp

n950NoOp

n951NoOp

n952NoOp

n953NoOp

n954NoOp

n955NoOp

n956NoOp

n957NoOp

n958NoOp

n959NoOp

n960NoOp

n961NoOp

n962NoOp

n963NoOp

n964NoOp

n965NoOp

n966NoOp

n967NoOp

n968NoOp

n969NoOp

n970NoOp

n971NoOp

n972NoOp

n973NoOp

n974NoOp

n975NoOp

n976NoOp

n977NoOp

n978NoOp

n979NoOp

n980NoOp

n981NoOp

n982NoOp

n983NoOp

n984NoOp

n985NoOp

n986NoOp

n987NoOp

n988NoOp

n989NoOp

n990NoOp

n991NoOp

n992NoOp

n993NoOp

n994NoOp

n995NoOp

n996NoOp

n997NoOp

n998NoOp

n999NoOp

n1000NoOp

n1001NoOp

n1002NoOp

n1003NoOp

n1004NoOp

n1005NoOp

n1006NoOp

n1007NoOp

n1008NoOp

n1009NoOp

n1010NoOp

n1011NoOp

n1012NoOp

n1013NoOp

n1014NoOp

n1015NoOp

n1016NoOp

n1017NoOp

n1018NoOp

n1019NoOp

n1020NoOp

n1021NoOp

n1022NoOp

n1023NoOp

n1024NoOp

n1025NoOp

n1026NoOp

n1027NoOp

n1028NoOp

n1029NoOp

n1030NoOp

n1031NoOp

n1032NoOp

n1033NoOp

n1034NoOp

n1035NoOp

n1036NoOp

n1037NoOp

n1038NoOp

n1039NoOp

n1040NoOp

n1041NoOp

n1042NoOp

n1043NoOp

n1044NoOp

n1045NoOp

n1046NoOp

n1047NoOp

n1048NoOp

n1049NoOp

n1050NoOp

n1051NoOp

n1052NoOp

n1053NoOp

n1054NoOp

n1055NoOp

n1056NoOp

n1057NoOp

n1058NoOp

n1059NoOp

n1060NoOp

n1061NoOp

n1062NoOp

n1063NoOp

n1064NoOp

n1065NoOp

n1066NoOp

n1067NoOp

n1068NoOp

n1069NoOp

n1070NoOp

n1071NoOp

n1072NoOp

n1073NoOp

n1074NoOp

n1075NoOp

n1076NoOp

n1077NoOp

n1078NoOp

n1079NoOp

n1080NoOp

n1081NoOp

n1082NoOp

n1083NoOp

n1084NoOp

n1085NoOp

n1086NoOp

n1087NoOp

n1088NoOp

n1089NoOp

n1090NoOp

n1091NoOp

n1092NoOp

n1093NoOp

n1094NoOp

n1095NoOp

n1096NoOp

n1097NoOp

n1098NoOp

n1099NoOp

n1100NoOp

n1101NoOp

n1102NoOp

n1103NoOp

n1104NoOp

n1105NoOp

n1106NoOp

n1107NoOp

n1108NoOp

n1109NoOp

n1110NoOp

n1111NoOp

n1112NoOp

n1113NoOp

n1114NoOp

n1115NoOp

n1116NoOp

n1117NoOp

n1118NoOp

n1119NoOp

n1120NoOp

n1121NoOp

n1122NoOp

n1123NoOp

n1124NoOp

n1125NoOp

n1126NoOp

n1127NoOp

n1128NoOp

n1129NoOp

n1130NoOp

n1131NoOp

n1132NoOp

n1133NoOp

n1134NoOp

n1135NoOp

n1136NoOp

n1137NoOp

n1138NoOp

n1139NoOp

n1140NoOp

n1141NoOp

n1142NoOp

n1143NoOp

n1144NoOp

n1145NoOp

n1146NoOp

n1147NoOp

n1148NoOp

n1149NoOp

n1150NoOp

n1151NoOp

n1152NoOp

n1153NoOp

n1154NoOp

n1155NoOp

n1156NoOp

n1157NoOp

n1158NoOp

n1159NoOp

n1160NoOp

n1161NoOp

n1162NoOp

n1163NoOp

n1164NoOp

n1165NoOp

n1166NoOp

n1167NoOp

n1168NoOp

n1169NoOp

n1170NoOp

n1171NoOp

n1172NoOp

n1173NoOp

n1174NoOp

n1175NoOp

n1176NoOp

n1177NoOp

n1178NoOp

n1179NoOp

n1180NoOp

n1181NoOp

n1182NoOp

n1183NoOp

n1184NoOp

n1185NoOp

n1186NoOp

n1187NoOp

n1188NoOp

n1189NoOp

n1190NoOp

n1191NoOp

n1192NoOp

n1193NoOp

n1194NoOp

n1195NoOp

n1196NoOp

n1197NoOp

n1198NoOp

n1199NoOp

n1200NoOp

n1201NoOp

n1202NoOp

n1203NoOp

n1204NoOp

n1205NoOp

n1206NoOp

n1207NoOp

n1208NoOp

n1209NoOp

n1210NoOp

n1211NoOp

n1212NoOp

n1213NoOp

n1214NoOp

n1215NoOp

n1216NoOp

n1217NoOp

n1218NoOp

n1219NoOp

n1220NoOp

n1221NoOp

n1222NoOp

n1223NoOp

n1224NoOp

n1225NoOp

n1226NoOp

n1227NoOp

n1228NoOp

n1229NoOp

n1230NoOp

n1231NoOp

n1232NoOp

n1233NoOp

n1234NoOp

n1235NoOp

n1236NoOp

n1237NoOp

n1238NoOp

n1239NoOp

n1240NoOp

n1241NoOp

n1242NoOp

n1243NoOp

n1244NoOp

n1245NoOp

n1246NoOp

n1247NoOp

n1248NoOp

n1249NoOp

n1250NoOp

n1251NoOp

n1252NoOp

n1253NoOp

n1254NoOp

n1255NoOp

n1256NoOp

n1257NoOp

n1258NoOp

n1259NoOp

n1260NoOp

n1261NoOp

n1262NoOp

n1263NoOp

n1264NoOp

n1265NoOp

n1266NoOp

n1267NoOp

n1268NoOp

n1269NoOp

n1270NoOp

n1271NoOp

n1272NoOp

n1273NoOp

n1274NoOp

n1275NoOp

n1276NoOp

n1277NoOp

n1278NoOp

n1279NoOp

n1280NoOp

n1281NoOp

n1282NoOp

n1283NoOp

n1284NoOp

n1285NoOp

n1286NoOp

n1287NoOp

n1288NoOp

n1289NoOp

n1290NoOp

n1291NoOp

n1292NoOp

n1293NoOp

n1294NoOp

n1295NoOp

n1296NoOp

n1297NoOp

n1298NoOp

n1299NoOp

n1300NoOp

n1301NoOp

n1302NoOp

n1303NoOp

n1304NoOp

n1305NoOp

n1306NoOp

n1307NoOp

n1308NoOp

n1309NoOp

n1310NoOp

n1311NoOp

n1312NoOp

n1313NoOp

n1314NoOp

n1315NoOp

n1316NoOp

n1317NoOp

n1318NoOp

n1319NoOp

n1320NoOp

n1321NoOp

n1322NoOp

n1323NoOp

n1324NoOp

n1325NoOp

n1326NoOp

n1327NoOp

n1328NoOp

n1329NoOp

n1330NoOp

n1331NoOp

n1332NoOp

n1333NoOp

n1334NoOp

n1335NoOp

n1336NoOp

n1337NoOp

n1338NoOp

n1339NoOp

n1340NoOp

n1341NoOp

n1342NoOp

n1343NoOp

n1344NoOp

n1345NoOp

n1346NoOp

n1347NoOp

n1348NoOp

n1349NoOp

n1350NoOp

n1351NoOp

n1352NoOp

n1353NoOp

n1354NoOp

n1355NoOp

n1356NoOp

n1357NoOp

n1358NoOp

n1359NoOp

n1360NoOp

n1361NoOp

n1362NoOp

n1363NoOp

n1364NoOp

n1365NoOp

n1366NoOp

n1367NoOp

n1368NoOp

n1369NoOp

n1370NoOp

n1371NoOp

n1372NoOp

n1373NoOp

n1374NoOp

n1375NoOp

n1376NoOp

n1377NoOp

n1378NoOp

n1379NoOp

n1380NoOp

n1381NoOp

n1382NoOp

n1383NoOp

n1384NoOp

n1385NoOp

n1386NoOp

n1387NoOp

n1388NoOp

n1389NoOp

n1390NoOp

n1391NoOp

n1392NoOp

n1393NoOp

n1394NoOp

n1395NoOp

n1396NoOp

n1397NoOp

n1398NoOp

n1399NoOp

n1400NoOp

n1401NoOp

n1402NoOp

n1403NoOp

n1404NoOp

n1405NoOp

n1406NoOp

n1407NoOp

n1408NoOp

n1409NoOp

n1410NoOp

n1411NoOp

n1412NoOp

n1413NoOp

n1414NoOp

n1415NoOp

n1416NoOp

n1417NoOp

n1418NoOp

n1419NoOp

n1420NoOp

n1421NoOp

n1422NoOp

n1423NoOp

n1424NoOp

n1425NoOp

n1426NoOp

n1427NoOp

n1428NoOp

n1429NoOp

n1430NoOp

n1431NoOp

n1432NoOp

n1433NoOp

n1434NoOp

n1435NoOp

n1436NoOp

n1437NoOp

n1438NoOp

n1439NoOp

n1440NoOp

n1441NoOp

n1442NoOp

n1443NoOp

n1444NoOp

n1445NoOp

n1446NoOp

n1447NoOp

n1448NoOp

n1449NoOp

n1450NoOp

n1451NoOp

n1452NoOp

n1453NoOp

n1454NoOp

n1455NoOp

n1456NoOp

n1457NoOp

n1458NoOp

n1459NoOp

n1460NoOp

n1461NoOp

n1462NoOp

n1463NoOp

n1464NoOp

n1465NoOp

n1466NoOp

n1467NoOp

n1468NoOp

n1469NoOp

n1470NoOp

n1471NoOp

n1472NoOp

n1473NoOp

n1474NoOp

n1475NoOp

n1476NoOp

n1477NoOp

n1478NoOp

n1479NoOp

n1480NoOp

n1481NoOp

n1482NoOp

n1483NoOp

n1484NoOp

n1485NoOp

n1486NoOp

n1487NoOp

n1488NoOp

n1489NoOp

n1490NoOp

n1491NoOp

n1492NoOp

n1493NoOp

n1494NoOp

n1495NoOp

n1496NoOp

n1497NoOp

n1498NoOp

n1499NoOp

n1500NoOp

n1501NoOp

n1502NoOp

n1503NoOp

n1504NoOp

n1505NoOp

n1506NoOp

n1507NoOp

n1508NoOp

n1509NoOp

n1510NoOp

n1511NoOp

n1512NoOp

n1513NoOp

n1514NoOp

n1515NoOp

n1516NoOp

n1517NoOp

n1518NoOp

n1519NoOp

n1520NoOp

n1521NoOp

n1522NoOp

n1523NoOp

n1524NoOp

n1525NoOp

n1526NoOp

n1527NoOp

n1528NoOp

n1529NoOp

n1530NoOp

n1531NoOp

n1532NoOp

n1533NoOp

n1534NoOp

n1535NoOp

n1536NoOp

n1537NoOp

n1538NoOp

n1539NoOp

n1540NoOp

n1541NoOp

n1542NoOp

n1543NoOp

n1544NoOp

n1545NoOp

n1546NoOp

n1547NoOp

n1548NoOp

n1549NoOp

n1550NoOp

n1551NoOp

n1552NoOp

n1553NoOp

n1554NoOp

n1555NoOp

n1556NoOp

n1557NoOp

n1558NoOp

n1559NoOp

n1560NoOp

n1561NoOp

n1562NoOp

n1563NoOp

n1564NoOp

n1565NoOp

n1566NoOp

n1567NoOp

n1568NoOp

n1569NoOp

n1570NoOp

n1571NoOp

n1572NoOp

n1573NoOp

n1574NoOp

n1575NoOp

n1576NoOp

n1577NoOp

n1578NoOp

n1579NoOp

n1580NoOp

n1581NoOp

n1582NoOp

n1583NoOp

n1584NoOp

n1585NoOp

n1586NoOp

n1587NoOp

n1588NoOp

n1589NoOp

n1590NoOp

n1591NoOp

n1592NoOp

n1593NoOp

n1594NoOp

n1595NoOp

n1596NoOp

n1597NoOp

n1598NoOp

n1599NoOp

n1600NoOp

n1601NoOp

n1602NoOp

n1603NoOp

n1604NoOp

n1605NoOp

n1606NoOp

n1607NoOp

n1608NoOp

n1609NoOp

n1610NoOp

n1611NoOp

n1612NoOp

n1613NoOp

n1614NoOp

n1615NoOp

n1616NoOp

n1617NoOp

n1618NoOp

n1619NoOp

n1620NoOp

n1621NoOp

n1622NoOp

n1623NoOp

n1624NoOp

n1625NoOp

n1626NoOp

n1627NoOp

n1628NoOp

n1629NoOp

n1630NoOp

n1631NoOp

n1632NoOp

n1633NoOp

n1634NoOp

n1635NoOp

n1636NoOp

n1637NoOp

n1638NoOp

n1639NoOp

n1640NoOp

n1641NoOp

n1642NoOp

n1643NoOp

n1644NoOp

n1645NoOp

n1646NoOp

n1647NoOp

n1648NoOp

n1649NoOp

n1650NoOp

n1651NoOp

n1652NoOp

n1653NoOp

n1654NoOp

n1655NoOp

n1656NoOp

n1657NoOp

n1658NoOp

n1659NoOp

n1660NoOp

n1661NoOp

n1662NoOp

n1663NoOp

n1664NoOp

n1665NoOp

n1666NoOp

n1667NoOp

n1668NoOp

n1669NoOp

n1670NoOp

n1671NoOp

n1672NoOp

n1673NoOp

n1674NoOp

n1675NoOp

n1676NoOp

n1677NoOp

n1678NoOp

n1679NoOp

n1680NoOp

n1681NoOp

n1682NoOp

n1683NoOp

n1684NoOp

n1685NoOp

n1686NoOp

n1687NoOp

n1688NoOp

n1689NoOp

n1690NoOp

n1691NoOp

n1692NoOp

n1693NoOp

n1694NoOp

n1695NoOp

n1696NoOp

n1697NoOp

n1698NoOp

n1699NoOp

n1700NoOp

n1701NoOp

n1702NoOp

n1703NoOp

n1704NoOp

n1705NoOp

n1706NoOp

n1707NoOp

n1708NoOp

n1709NoOp

n1710NoOp

n1711NoOp

n1712NoOp

n1713NoOp

n1714NoOp

n1715NoOp

n1716NoOp

n1717NoOp

n1718NoOp

n1719NoOp

n1720NoOp

n1721NoOp

n1722NoOp

n1723NoOp

n1724NoOp

n1725NoOp

n1726NoOp

n1727NoOp

n1728NoOp

n1729NoOp

n1730NoOp

n1731NoOp

n1732NoOp

n1733NoOp

n1734NoOp

n1735NoOp

n1736NoOp

n1737NoOp

n1738NoOp

n1739NoOp

n1740NoOp

n1741NoOp

n1742NoOp

n1743NoOp

n1744NoOp

n1745NoOp

n1746NoOp

n1747NoOp

n1748NoOp

n1749NoOp

n1750NoOp

n1751NoOp

n1752NoOp

n1753NoOp

n1754NoOp

n1755NoOp

n1756NoOp

n1757NoOp

n1758NoOp

n1759NoOp

n1760NoOp

n1761NoOp

n1762NoOp

n1763NoOp

n1764NoOp

n1765NoOp

n1766NoOp

n1767NoOp

n1768NoOp

n1769NoOp

n1770NoOp

n1771NoOp

n1772NoOp

n1773NoOp

n1774NoOp

n1775NoOp

n1776NoOp

n1777NoOp

n1778NoOp

n1779NoOp

n1780NoOp

n1781NoOp

n1782NoOp

n1783NoOp

n1784NoOp

n1785NoOp

n1786NoOp

n1787NoOp

n1788NoOp

n1789NoOp

n1790NoOp

n1791NoOp

n1792NoOp

n1793NoOp

n1794NoOp

n1795NoOp

n1796NoOp

n1797NoOp

n1798NoOp

n1799NoOp

n1800NoOp

n1801NoOp

n1802NoOp

n1803NoOp

n1804NoOp

n1805NoOp

n1806NoOp

n1807NoOp

n1808NoOp

n1809NoOp

n1810NoOp

n1811NoOp

n1812NoOp

n1813NoOp

n1814NoOp

n1815NoOp

n1816NoOp

n1817NoOp

n1818NoOp

n1819NoOp

n1820NoOp

n1821NoOp

n1822NoOp

n1823NoOp

n1824NoOp

n1825NoOp

n1826NoOp

n1827NoOp

n1828NoOp

n1829NoOp

n1830NoOp

n1831NoOp

n1832NoOp

n1833NoOp

n1834NoOp

n1835NoOp

n1836NoOp

n1837NoOp

n1838NoOp

n1839NoOp

n1840NoOp

n1841NoOp

n1842NoOp

n1843NoOp

n1844NoOp

n1845NoOp

n1846NoOp

n1847NoOp

n1848NoOp

n1849NoOp

n1850NoOp

n1851NoOp

n1852NoOp

n1853NoOp

n1854NoOp

n1855NoOp

n1856NoOp

n1857NoOp

n1858NoOp

n1859NoOp

n1860NoOp

n1861NoOp

n1862NoOp

n1863NoOp

n1864NoOp

n1865NoOp

n1866NoOp

n1867NoOp

n1868NoOp

n1869NoOp

n1870NoOp

n1871NoOp

n1872NoOp

n1873NoOp

n1874NoOp

n1875NoOp

n1876NoOp

n1877NoOp

n1878NoOp

n1879NoOp

n1880NoOp

n1881NoOp

n1882NoOp

n1883NoOp

n1884NoOp

n1885NoOp

n1886NoOp

n1887NoOp

n1888NoOp

n1889NoOp

n1890NoOp

n1891NoOp

n1892NoOp

n1893NoOp

n1894NoOp

n1895NoOp

n1896NoOp

n1897NoOp

n1898NoOp

n1899NoOp

n1900NoOp

n1901NoOp

n1902NoOp

n1903NoOp

n1904NoOp

n1905NoOp

n1906NoOp

n1907NoOp

n1908NoOp

n1909NoOp

n1910NoOp

n1911NoOp

n1912NoOp

n1913NoOp

n1914NoOp

n1915NoOp

n1916NoOp

n1917NoOp

n1918NoOp

n1919NoOp

n1920NoOp

n1921NoOp

n1922NoOp

n1923NoOp

n1924NoOp

n1925NoOp

n1926NoOp

n1927NoOp

n1928NoOp

n1929NoOp

n1930NoOp

n1931NoOp

n1932NoOp

n1933NoOp

n1934NoOp

n1935NoOp

n1936NoOp

n1937NoOp

n1938NoOp

n1939NoOp

n1940NoOp

n1941NoOp

n1942NoOp

n1943NoOp

n1944NoOp

n1945NoOp

n1946NoOp

n1947NoOp

n1948NoOp

n1949NoOp

n1950NoOp

n1951NoOp

n1952NoOp

n1953NoOp

n1954NoOp

n1955NoOp

n1956NoOp

n1957NoOp

n1958NoOp

n1959NoOp

n1960NoOp

n1961NoOp

n1962NoOp

n1963NoOp

n1964NoOp

n1965NoOp

n1966NoOp

n1967NoOp

n1968NoOp

n1969NoOp

n1970NoOp

n1971NoOp

n1972NoOp

n1973NoOp

n1974NoOp

n1975NoOp

n1976NoOp

n1977NoOp

n1978NoOp

n1979NoOp

n1980NoOp

n1981NoOp

n1982NoOp

n1983NoOp

n1984NoOp

n1985NoOp

n1986NoOp

n1987NoOp

n1988NoOp

n1989NoOp

n1990NoOp

n1991NoOp

n1992NoOp

n1993NoOp

n1994NoOp

n1995NoOp

n1996NoOp

n1997NoOp

n1998NoOp

n1999NoOp